"""The staff page of reminders that need a hand (views/sending.py): front desk, nurses,
prescribers and clinic admins at the location see failed and stuck reminders (time and
channel, never the text), and can ask for another try. Charlie's are West Hartford's."""

import datetime as dt

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from dendrite.conftest import query_count, signed_in
from dendrite.scheduling.models import Kind, PatientMessage, Reminder
from dendrite.scheduling.tests.conftest import local, make_appointment

NOW = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)
URL = reverse("scheduling:sending")


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def failed_reminder(patient, staff, day=11, **extra):
    appointment = make_appointment(
        patient, Kind.INFUSION, local(patient.location, dt.date(2026, 3, day), 10), staff
    )
    fields = {"status": Reminder.Status.FAILED, "attempts": 6, "last_error": "ProviderDown",
              "due_at": NOW - dt.timedelta(hours=1)} | extra  # fmt: skip
    return Reminder.objects.create(
        appointment=appointment, channel="sms", hours_before=24, **fields
    )


@pytest.mark.parametrize("role", ["front_desk", "nurse", "prescriber", "clinic_admin"])
def test_staff_at_the_location_see_the_failed_reminder(cast, role, alice, nurse):
    failed_reminder(alice, nurse)
    response = signed_in(cast[role]).get(URL)
    assert response.status_code == 200
    assert "Wed, Mar 11, 2026, 10:00 AM EDT" in response.text
    assert "Text message" in response.text and "ProviderDown" in response.text
    assert ("Lovelace" in response.text) == (role != "clinic_admin")
    assert "drive" not in response.text  # no message text


def test_another_locations_reminders_are_not_shown(
    cast, charlie, prescriber_hartford, alice, nurse
):
    failed_reminder(charlie, prescriber_hartford)
    response = signed_in(cast["front_desk"]).get(URL)
    assert "Babbage" not in response.text
    assert "Nothing needs a hand" in response.text


def test_sent_and_waiting_reminders_are_not_shown(cast, alice, nurse):
    failed_reminder(alice, nurse, status=Reminder.Status.SENT, attempts=1, last_error="")
    failed_reminder(alice, nurse, day=13, status=Reminder.Status.PENDING, attempts=0,
                    last_error="", due_at=NOW + dt.timedelta(hours=1))  # fmt: skip
    assert "Nothing needs a hand" in signed_in(cast["nurse"]).get(URL).text


def test_a_reminder_held_by_a_worker_that_stopped_is_shown(cast, alice, nurse):
    failed_reminder(alice, nurse, status=Reminder.Status.SENDING,
                    claimed_until=NOW - dt.timedelta(minutes=1))  # fmt: skip
    assert "Sending" in signed_in(cast["nurse"]).get(URL).text


def test_try_again_queues_the_reminder_now(cast, alice, nurse):
    reminder = failed_reminder(alice, nurse)
    response = signed_in(cast["front_desk"]).post(
        reverse("scheduling:sending_retry", args=[reminder.pk])
    )
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.due_at) == (
        Reminder.Status.PENDING,
        0,
        NOW,
    )
    assert DBTaskResult.objects.count() == 1


def test_try_again_on_another_locations_reminder_is_not_found(cast, charlie, prescriber_hartford):
    reminder = failed_reminder(charlie, prescriber_hartford)
    response = signed_in(cast["front_desk"]).post(
        reverse("scheduling:sending_retry", args=[reminder.pk])
    )
    assert response.status_code == 404
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.FAILED


def test_try_again_needs_a_post(cast, alice, nurse):
    reminder = failed_reminder(alice, nurse)
    assert (
        signed_in(cast["nurse"])
        .get(reverse("scheduling:sending_retry", args=[reminder.pk]))
        .status_code
        == 405
    )


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


def test_the_query_count_does_not_grow_with_the_rows(cast, alice, bob, nurse):
    client = signed_in(cast["front_desk"])
    failed_reminder(alice, nurse)
    few = query_count(lambda: client.get(URL))
    for day in (12, 13, 16, 17, 18, 19, 20):
        failed_reminder(bob if day % 2 else alice, nurse, day=day)
    assert query_count(lambda: client.get(URL)) == few


def failed_message(patient, **extra):
    fields = {"status": PatientMessage.Status.FAILED, "attempts": 48, "channel": "email",
              "last_error": "SMTPServerDisconnected", "due_at": NOW - dt.timedelta(hours=1),
              "subject": "Your appointment at Dendrite is booked",
              "body": "See you on Wednesday."} | extra  # fmt: skip
    return PatientMessage.objects.create(patient=patient, location=patient.location, **fields)


@pytest.mark.parametrize("role", ["front_desk", "nurse", "prescriber", "clinic_admin"])
def test_staff_at_the_location_see_a_confirmation_that_could_not_be_sent(cast, role, alice):
    failed_message(alice)
    response = signed_in(cast[role]).get(URL)
    assert "Your appointment at Dendrite is booked" in response.text
    assert "SMTPServerDisconnected" in response.text
    assert ("Lovelace" in response.text) == (role != "clinic_admin")
    assert "See you on Wednesday" not in response.text  # never the text


def test_another_locations_messages_and_sent_ones_are_not_shown(cast, alice, charlie):
    failed_message(charlie)
    failed_message(alice, status=PatientMessage.Status.SENT, attempts=1, last_error="")
    failed_message(alice, status=PatientMessage.Status.PENDING, attempts=0, last_error="",
                   due_at=NOW)  # fmt: skip
    response = signed_in(cast["front_desk"]).get(URL)
    assert "Every booking confirmation and offer is on its way or sent" in response.text


def test_a_message_retrying_or_left_by_a_stopped_worker_is_shown(cast, alice, bob):
    failed_message(alice, status=PatientMessage.Status.PENDING, attempts=2)
    failed_message(bob, status=PatientMessage.Status.SENDING,
                   claimed_until=NOW - dt.timedelta(minutes=1))  # fmt: skip
    text = signed_in(cast["nurse"]).get(URL).text
    assert "Lovelace" in text and "Hopper" in text


def test_the_query_count_does_not_grow_with_the_messages(cast, alice, bob):
    client = signed_in(cast["front_desk"])
    failed_message(alice)
    few = query_count(lambda: client.get(URL))
    for patient in (alice, bob) * 4:
        failed_message(patient)
    assert query_count(lambda: client.get(URL)) == few
