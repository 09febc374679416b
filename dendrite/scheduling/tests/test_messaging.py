"""notify_patient (messaging.py): a message goes only on the channels the patient
consented to and has an address for, stored with the transaction, queued by id, sent
once with its idempotency key, and erased once sent."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dendrite.mail import message_id
from dendrite.patients.models import Consent
from dendrite.queue import retry_delay
from dendrite.scheduling.messaging import (
    channels_for,
    compose,
    notify_patient,
    send_patient_message,
)
from dendrite.scheduling.models import PatientMessage
from dendrite.scheduling.tests.conftest import give_consent

NOW = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def outbox(settings, tmp_path):
    settings.MAILERS = LOCMEM
    settings.SMS_BACKEND = "dendrite.sms.FileBackend"
    settings.SMS_FILE_PATH = tmp_path
    return tmp_path


# A message of the templates' own: its wording is rendered by compose (test_languages.py).
MESSAGE = {
    "subject": "A time is free at %(site)s",
    "template": "scheduling/messages/contact_changed",
}


def written(patient):
    """(subject, e-mail body, text) as the patient gets them."""
    return compose(patient, **MESSAGE, context={"clinic": patient.location, "phone": True})


def tell(patient):
    return notify_patient(patient, location=patient.location, **MESSAGE,
                          context={"clinic": patient.location, "phone": True},
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
    _subject, body, text_body = written(alice)
    assert (email.subject, email.body, email.to, email.attachments[0][0]) == (
        "A time is free at Dendrite", body, [alice.email], "a.ics"
    )  # fmt: skip
    [text] = outbox.glob("*.json")
    assert json.loads(text.read_text())["body"] == text_body
    by_email = PatientMessage.objects.get(channel="email")
    assert email.extra_headers["Message-ID"] == message_id(by_email.idempotency_key)


def test_the_queue_holds_the_rows_id_and_the_row_is_erased_once_sent(
    alice, nurse, outbox, run_worker
):
    give_consent(alice, nurse, Consent.Kind.EMAIL_MESSAGES)
    tell(alice)
    [stored] = PatientMessage.objects.all()
    assert (stored.body, stored.subject, stored.status) == (
        written(alice)[1], "A time is free at Dendrite", "pending"
    )  # fmt: skip
    [queued] = DBTaskResult.objects.all()
    assert queued.args_kwargs == {"args": [], "kwargs": {"message_id": stored.pk}}

    run_worker()

    stored.refresh_from_db()
    assert (stored.status, stored.body, stored.attachments, stored.attempts) == (
        "sent", "", [], 1
    )  # fmt: skip
    assert stored.sent_at is not None


def test_a_message_is_sent_once_however_often_its_task_runs(alice, nurse, outbox):
    give_consent(alice, nurse, Consent.Kind.TEXT_MESSAGES)
    tell(alice)
    [stored] = PatientMessage.objects.all()
    send_patient_message.call(message_id=stored.pk)
    send_patient_message.call(message_id=stored.pk)  # a second worker, or a re-run
    assert len(list(outbox.glob("*.json"))) == 1
    stored.refresh_from_db()
    assert (stored.status, stored.attempts) == ("sent", 1)


def test_a_worker_that_died_mid_send_is_covered_by_the_sweep_with_the_same_key(
    alice, nurse, outbox, run_worker, time_machine
):
    time_machine.move_to(NOW, tick=False)
    give_consent(alice, nurse, Consent.Kind.TEXT_MESSAGES)
    tell(alice)
    [stored] = PatientMessage.objects.all()
    # The worker claimed it, and the provider accepted the text, then the worker died.
    lease = dt.timedelta(seconds=300)
    PatientMessage.objects.update(status="sending", attempts=1, claimed_until=NOW + lease)
    from dendrite import sms

    sms.get_backend().send(alice.phone, written(alice)[2], key=stored.idempotency_key)
    DBTaskResult.objects.all().delete()  # its task is gone with the worker

    call_command("send_due_reminders")  # the lease still holds: nothing to do
    assert not DBTaskResult.objects.exists()
    time_machine.shift(lease + dt.timedelta(seconds=1))
    call_command("send_due_reminders")
    run_worker()

    stored.refresh_from_db()
    assert (stored.status, stored.attempts, stored.body) == ("sent", 2, "")
    # Sent again with the same key: the provider drops the repeat, the patient gets one.
    assert len(list(outbox.glob("*.json"))) == 1


class MailServerDown(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server is down")


def test_a_failed_send_waits_longer_each_time_then_is_left_for_staff(
    alice, nurse, settings, run_worker, time_machine
):
    time_machine.move_to(NOW, tick=False)
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.MailServerDown"}}
    settings.MAIL_RETRY_LIMIT = 3
    give_consent(alice, nurse, Consent.Kind.EMAIL_MESSAGES)
    tell(alice)
    tried_at = NOW
    for attempt in (1, 2):
        run_worker()
        stored = PatientMessage.objects.get()
        assert (stored.status, stored.attempts, stored.last_error) == (
            "pending", attempt, "ConnectionRefusedError"
        )  # fmt: skip
        [retry] = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        assert retry.run_after == stored.due_at == tried_at + retry_delay(attempt)
        tried_at = stored.due_at
        time_machine.move_to(tried_at, tick=False)
    run_worker()
    stored.refresh_from_db()
    assert (stored.status, stored.attempts) == ("failed", 3)
    assert stored.body == written(alice)[1]  # kept, so staff can have it sent again
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


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
    stored = PatientMessage.objects.get()
    assert (stored.status, stored.body, stored.attachments) == ("cancelled", "", [])


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
