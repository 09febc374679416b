"""Every address of the scheduling app, under the scheduling: namespace."""

from django.urls import path, re_path

from .views import (
    appointment,
    booking,
    confirmation,
    day,
    feeds,
    move,
    public,
    rebook,
    sending,
    series,
    waitlist,
)

app_name = "scheduling"

A = "staff/schedule/appointments/<int:pk>/"
P = "staff/schedule/patients/<int:patient_id>/"
W = "staff/schedule/waitlist/"

urlpatterns = [
    # The staff's schedule: the day view, booking, series, each appointment's page.
    path("staff/schedule/", day.today, name="today"),
    path("staff/schedule/<int:location_id>/<str:day>/", day.day_view, name="day"),
    path(A, appointment.appointment_detail, name="appointment"),
    path(A + "status/", appointment.change_status, name="change_status"),
    path(A + "undo/", appointment.undo, name="undo"),
    path(A + "consent/", confirmation.record_consent, name="record_consent"),
    path(A + "confirmation/", confirmation.print_confirmation, name="print_confirmation"),
    path(A + "cancel/", appointment.cancel, name="cancel"),
    path(A + "rebook/", rebook.rebook, name="rebook"),
    path(A + "move/", move.move, name="move"),
    path(P + "book/", booking.book, name="book"),
    path(P + "series/", series.series, name="series"),
    path(P + "series/book/", series.series_book, name="series_book"),
    # Patients' signed links (no sign-in) and the staff page of reminders needing a person.
    path("appointment/confirm/<str:token>/", public.confirm, name="public_confirm"),
    path("appointment/cancel/<str:token>/", public.cancel, name="public_cancel"),
    path("staff/schedule/reminders/", sending.sending, name="sending"),
    path("staff/schedule/reminders/<int:pk>/try-again/", sending.try_again, name="sending_retry"),
    # Calendar feeds. The token is what new_feed_token() makes: URL-safe base64, 43
    # characters.
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]{20,100})\.ics$", feeds.feed, name="feed"),
    path("staff/calendar-feeds/", feeds.feed_list, name="feed_list"),
    path("staff/calendar-feeds/new/", feeds.feed_create, name="feed_create"),
    path("staff/calendar-feeds/<int:pk>/revoke/", feeds.feed_revoke, name="feed_revoke"),
    # The waitlist.
    path(W, waitlist.waitlist_list, name="waitlist"),
    path(W + "add/", waitlist.waitlist_add, name="waitlist_add"),
    path(W + "<int:pk>/remove/", waitlist.waitlist_remove, name="waitlist_remove"),
    path(W + "<int:pk>/decline/", waitlist.waitlist_decline, name="waitlist_decline"),
    path(W + "<int:pk>/book/", waitlist.waitlist_book, name="waitlist_book"),
]
