"""Every address of the portal, under /portal/ (private: no-store) and the portal:
namespace; staff reach one, the invitation from the chart. No address carries patient
data: the patient is known from the portal session, and the ids in an address are
looked up among the patient's own rows only (access.py)."""

from django.urls import path

from .views import (
    appointments,
    booking,
    conversation,
    details,
    home,
    passkeys,
    progress,
    questionnaires,
    record,
    record_download,
    security,
    signin,
    staff,
)

app_name = "portal"

P = "portal/"
A = P + "appointments/<int:pk>/"

urlpatterns = [
    path(P + "welcome/<str:token>/", signin.welcome_link, name="welcome_link"),
    path(P + "welcome/", signin.welcome, name="welcome"),
    path(P + "sign-in/", signin.sign_in, name="sign_in"),
    path(P + "sign-in/code/", signin.code, name="code"),
    path(P + "sign-out/", signin.sign_out, name="sign_out"),
    path(P + "passkey/options/", passkeys.sign_in_options, name="passkey_options"),
    path(P + "passkey/", passkeys.sign_in, name="passkey_sign_in"),
    path(P, home.home, name="home"),
    path(P + "appointments/", appointments.appointment_list, name="appointments"),
    path(A, appointments.appointment, name="appointment"),
    path(A + "confirm/", appointments.confirm, name="confirm"),
    path(A + "cancel/", appointments.cancel, name="cancel"),
    path(A + "change/", appointments.change, name="change"),
    path(A + "calendar.ics", appointments.ics, name="ics"),
    path(P + "book/", booking.book, name="book"),
    path(P + "book/<slug:kind>/", booking.times, name="book_times"),
    path(P + "book/<slug:kind>/confirm/", booking.confirm, name="book_confirm"),
    path(P + "questionnaires/", questionnaires.questionnaire_list, name="questionnaires"),
    path(P + "questionnaires/<int:pk>/start/", questionnaires.start, name="questionnaire_start"),
    path(P + "progress/", progress.progress, name="progress"),
    path(P + "progress/plans/<slug:kind>/", progress.plan, name="plan"),
    path(P + "progress/diary/", progress.diary, name="diary"),
    path(P + "record/", record.record, name="record"),
    path(P + "record/my-record.pdf", record_download.record_pdf, name="record_pdf"),
    path(P + "record/my-record.fhir.json", record_download.record_fhir, name="record_fhir"),
    path(P + "details/", details.details, name="details"),
    path(P + "security/", security.security, name="security"),
    path(P + "security/sessions/<int:pk>/end/", security.end_session, name="end_session"),
    path(P + "security/sign-out-everywhere/", security.sign_out_everywhere, name="sign_out_all"),
    path(P + "security/passkeys/options/", passkeys.register_options, name="passkey_add_options"),
    path(P + "security/passkeys/", passkeys.register, name="passkey_add"),
    path(P + "security/passkeys/<int:pk>/remove/", passkeys.remove, name="passkey_remove"),
    path(P + "messages/", conversation.thread, name="messages"),
    path(P + "messages/<int:pk>/attachment/", conversation.attachment, name="attachment"),
    path("staff/messages/", conversation.inbox, name="staff_inbox"),
    path(
        "staff/messages/attachments/<int:pk>/",
        conversation.staff_attachment,
        name="staff_attachment",
    ),
    path("staff/messages/<int:pk>/", conversation.staff_thread, name="staff_thread"),
    path("staff/messages/<int:pk>/assign/", conversation.assign, name="staff_assign"),
    path("staff/patients/<int:patient_pk>/portal/invite/", staff.invite, name="invite"),
]
