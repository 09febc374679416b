"""A booking whose confirmation cannot be sent says so on the spot: the appointment's
page lists why (consent not asked yet, no address), offers to record the patient's
consent (which then sends the confirmation and schedules the reminders) and a printable
confirmation; the day view lists the next day's appointments whose reminders cannot go
out. Alice has an e-mail address and a phone number but no consent on file."""

import datetime as dt

import pytest
from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.conftest import make_patient, query_count, signed_in
from dendrite.patients.models import Consent
from dendrite.scheduling import actions
from dendrite.scheduling.models import Kind, PatientMessage, Reminder

from .conftest import give_consent, local, make_appointment, next_weekday, type_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(alice, front_desk, prescriber, boston):
    day = next_weekday(1)
    return actions.book(
        alice, type_at(boston, Kind.CONSULTATION), starts_at=local(boston, day, 10), by=front_desk
    )


def page_of(client, appointment):
    return client.get(reverse("scheduling:appointment", args=[appointment.pk]))


def test_the_page_after_booking_says_the_patient_was_not_told_and_why(booked, front_desk):
    assert not PatientMessage.objects.exists()
    html = page_of(signed_in(front_desk), booked).content.decode()
    assert "The patient was not told about this appointment" in html
    assert "E-mail: consent not asked yet." in html
    assert "Text messages: consent not asked yet." in html
    assert reverse("scheduling:print_confirmation", args=[booked.pk]) in html


def test_a_patient_with_a_consented_channel_gets_no_warning(alice, front_desk, prescriber, boston):
    give_consent(alice, front_desk, Consent.Kind.EMAIL_MESSAGES)
    booked = actions.book(
        alice, type_at(boston, Kind.CONSULTATION),
        starts_at=local(boston, next_weekday(1), 10), by=front_desk,
    )  # fmt: skip
    assert PatientMessage.objects.count() == 1
    assert "was not told" not in page_of(signed_in(front_desk), booked).content.decode()


def test_recording_consent_sends_the_confirmation_and_schedules_the_reminders(booked, front_desk):
    client = signed_in(front_desk)
    data = {"channel": "email", "given_by": "patient", "date": dt.date.today().isoformat()}
    response = client.post(reverse("scheduling:record_consent", args=[booked.pk]), data)
    assert response.status_code == 302
    assert booked.patient.consented_to(Consent.Kind.EMAIL_MESSAGES)
    assert PatientMessage.objects.filter(channel="email").count() == 1
    assert Reminder.objects.filter(appointment=booked, channel="email").exists()
    event = AuditEvent.objects.get(action="scheduling.appointment.contact_consent")
    assert event.detail == {"channel": "email", "given_by": "patient"}
    assert "was not told" not in page_of(client, booked).content.decode()


def test_a_bad_consent_form_keeps_what_was_typed_and_saves_nothing(booked, front_desk):
    data = {"channel": "email", "given_by": "", "date": "2999-01-01"}
    response = signed_in(front_desk).post(
        reverse("scheduling:record_consent", args=[booked.pk]), data
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please choose who gave the consent." in html
    assert "The date cannot be in the future." in html and 'value="2999-01-01"' in html
    assert not Consent.objects.exists() and not PatientMessage.objects.exists()


def test_clinic_admins_may_print_but_not_record_consent(booked, clinic_admin):
    client = signed_in(clinic_admin)
    assert "Record the consent and send" not in page_of(client, booked).content.decode()
    data = {"channel": "email", "given_by": "patient", "date": dt.date.today().isoformat()}
    url = reverse("scheduling:record_consent", args=[booked.pk])
    assert client.post(url, data).status_code == 403
    printed = client.get(reverse("scheduling:print_confirmation", args=[booked.pk]))
    assert printed.status_code == 200 and "Alice Lovelace" in printed.content.decode()


def test_the_printable_confirmation_says_when_and_where(booked, front_desk):
    html = (
        signed_in(front_desk)
        .get(reverse("scheduling:print_confirmation", args=[booked.pk]))
        .content.decode()
    )
    assert "Your appointment at" in html and "Consultation" in html and "10:00 AM" in html


def test_the_day_view_lists_the_next_days_reminders_that_cannot_go_out(
    alice, bob, front_desk, prescriber, boston
):
    day = next_weekday(1)
    bob.phone = "+16175550143"
    bob.save()
    give_consent(bob, front_desk, Consent.Kind.TEXT_MESSAGES)
    make_appointment(alice, Kind.CONSULTATION, local(boston, day, 9), prescriber)
    make_appointment(bob, Kind.FOLLOW_UP, local(boston, day, 11), prescriber)
    url = reverse("scheduling:day", args=[boston.pk, (day - dt.timedelta(days=1)).isoformat()])
    client = signed_in(front_desk)
    html = client.get(url).content.decode()
    assert "Reminders that cannot go out" in html
    section = html.split("Reminders that cannot go out")[1].split("</section>")[0]
    assert "Alice Lovelace" in section and "Bob" not in section
    one = query_count(lambda: client.get(url))
    for n in range(4):
        patient = make_patient(boston, "Extra", f"Person{n}")
        make_appointment(patient, Kind.CONSULTATION, local(boston, day, 13 + n), prescriber)
    assert query_count(lambda: client.get(url)) == one
