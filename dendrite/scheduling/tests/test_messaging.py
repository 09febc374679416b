"""notify_patient (messaging.py): a message goes only on the channels the patient
consented to and has an address for, queued with the transaction, subject free of PHI."""

import json

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from dendrite.patients.models import Consent
from dendrite.scheduling.messaging import channels_for, notify_patient
from dendrite.scheduling.tests.conftest import give_consent

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def outbox(settings, tmp_path):
    settings.MAILERS = LOCMEM
    settings.SMS_BACKEND = "dendrite.sms.FileBackend"
    settings.SMS_FILE_PATH = tmp_path
    return tmp_path


def tell(patient):
    return notify_patient(patient, location=patient.location, subject="A time is free at Dendrite",
                          email_body="A slot is free.", sms_body="Slot free.",
                          attachments=[("a.ics", b"BEGIN:VCALENDAR", "text/calendar")])  # fmt: skip


def test_nothing_is_sent_without_consent(alice, outbox, run_worker):
    assert tell(alice) == []
    assert DBTaskResult.objects.count() == 0


def test_each_consented_channel_gets_the_message(alice, nurse, outbox, run_worker):
    give_consent(alice, nurse, Consent.Kind.EMAIL_MESSAGES)
    give_consent(alice, nurse, Consent.Kind.TEXT_MESSAGES)
    assert tell(alice) == ["email", "sms"]
    run_worker()
    [email] = mail.outbox
    assert (email.subject, email.to, email.attachments[0][0]) == (
        "A time is free at Dendrite", [alice.email], "a.ics"
    )  # fmt: skip
    [text] = outbox.glob("*.json")
    assert json.loads(text.read_text())["body"] == "Slot free."


def test_the_latest_consent_counts_and_an_address_is_needed(alice, bob, nurse):
    give_consent(alice, nurse, Consent.Kind.TEXT_MESSAGES)
    withdrawn = give_consent(alice, nurse, Consent.Kind.TEXT_MESSAGES)
    withdrawn.status = Consent.Status.WITHDRAWN
    withdrawn.save()
    give_consent(bob, nurse, Consent.Kind.EMAIL_MESSAGES)  # Bob has no e-mail address
    assert channels_for(alice) == [] and channels_for(bob) == []


def test_a_consent_withdrawn_before_the_send_stops_it(alice, nurse, outbox, run_worker):
    give_consent(alice, nurse, Consent.Kind.EMAIL_MESSAGES)
    tell(alice)
    Consent.objects.update(status=Consent.Status.WITHDRAWN)
    run_worker()
    assert mail.outbox == []


def test_the_latest_consent_of_each_kind_is_the_one_in_force(alice, nurse):
    import datetime as dt

    from dendrite.patients.models import Consent

    def event(kind, status, days_ago):
        Consent.objects.create(
            patient=alice, kind=kind, status=status, recorded_by=nurse,
            date=dt.date.today() - dt.timedelta(days=days_ago),
        )  # fmt: skip

    event(Consent.Kind.EMAIL_MESSAGES, Consent.Status.GIVEN, 10)
    event(Consent.Kind.EMAIL_MESSAGES, Consent.Status.WITHDRAWN, 2)
    event(Consent.Kind.TEXT_MESSAGES, Consent.Status.WITHDRAWN, 10)
    event(Consent.Kind.TEXT_MESSAGES, Consent.Status.GIVEN, 2)
    kinds = (Consent.Kind.EMAIL_MESSAGES, Consent.Kind.TEXT_MESSAGES, Consent.Kind.TREATMENT)
    assert alice.consented_to(*kinds) == {Consent.Kind.TEXT_MESSAGES}
