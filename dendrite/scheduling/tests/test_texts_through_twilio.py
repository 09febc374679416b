"""A message to a patient by text through the Twilio backend and its SDK, against the
fake of Twilio's API (outbox/tests/fake_twilio.py): a lost answer is retried by the
queue and is still one text; a number that cannot take texts is given up at once, with
the reason on the staff page of sends that need a hand."""

import datetime as dt

import pytest
from django.urls import reverse

from dendrite.conftest import signed_in
from dendrite.outbox.tests.conftest import twilio  # noqa: F401 (a fixture)
from dendrite.outbox.tests.fake_twilio import Refuse
from dendrite.patients.models import Consent
from dendrite.scheduling.messaging import compose, notify_patient
from dendrite.scheduling.models import PatientMessage
from dendrite.scheduling.tests.conftest import give_consent

NOW = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)
Status = PatientMessage.Status


def message_text(patient):
    return compose(
        patient,
        subject="",
        template="scheduling/messages/contact_changed",
        context={"clinic": patient.location},
    )[2]


@pytest.fixture
def texted(alice, nurse, time_machine):
    time_machine.move_to(NOW, tick=False)
    give_consent(alice, nurse, Consent.Kind.TEXT_MESSAGES)

    def tell():
        notify_patient(
            alice,
            location=alice.location,
            subject="A time is free at %(site)s",
            template="scheduling/messages/contact_changed",
            context={"clinic": alice.location},
        )
        return PatientMessage.objects.get()

    return tell


def test_an_answer_lost_after_twilio_accepted_is_retried_and_sent_once(
    texted,
    twilio,  # noqa: F811
    run_worker,
    time_machine,
    alice,
):
    twilio.plan = ["accept, then drop"]
    message = texted()
    run_worker()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        Status.PENDING, 1, "The text-message provider did not answer in time."
    )  # fmt: skip
    time_machine.shift(dt.timedelta(minutes=2))  # the retry's wait
    run_worker()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 2)
    [text] = twilio.messages
    assert (text["to"], text["body"]) == (alice.phone, message_text(alice))
    assert twilio.creates() == 1  # the retry asked, and found it


def test_a_number_that_cannot_take_texts_is_given_up_at_once_and_shown_to_staff(
    texted,
    twilio,  # noqa: F811
    run_worker,
    time_machine,
    nurse,
):
    twilio.plan = [Refuse(400, 21614, "'To' number is not a valid mobile number")]
    message = texted()
    run_worker()
    time_machine.shift(dt.timedelta(hours=2))
    run_worker()  # nothing left to try
    message.refresh_from_db()
    reason = "The number is not a mobile number, so it cannot receive texts."
    assert (message.status, message.attempts, message.last_error) == (Status.FAILED, 1, reason)
    assert twilio.creates() == 1 and not twilio.messages
    page = signed_in(nurse).get(reverse("scheduling:sending"))
    assert reason in page.text
