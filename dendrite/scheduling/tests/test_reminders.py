"""Reminders (reminders.py): one per offset and consented channel, out of quiet hours,
in the location's local time, with the infusion safety lines, sent exactly once (two
workers at once here; a worker crash in test_reminders_crash.py), retried, then failed
and shown to staff. Alice is a Boston patient with an e-mail address and a phone."""

import datetime as dt
import json
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from dendrite.patients.models import Consent
from dendrite.scheduling import reminders
from dendrite.scheduling.actions.reminders import cancel_reminders, schedule_reminders
from dendrite.scheduling.models import Kind, Reminder, Status
from dendrite.scheduling.tests.conftest import give_consent, local, make_appointment

NOW = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)  # Monday 2 March 2026, 09:00 in Boston
WEDNESDAY = dt.date(2026, 3, 11)  # after the spring-forward: EDT
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
Sent = Reminder.Status


class ProviderDown(Exception):
    pass


class BrokenSms:
    def send(self, to: str, body: str, *, key: str) -> None:
        raise ProviderDown(f"refused {to}")  # a message with PHI in it: must not be kept


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def outbox(settings, tmp_path):
    """E-mail to Django's test outbox; texts to one file per key."""
    settings.MAILERS = LOCMEM
    settings.SMS_BACKEND = "dendrite.sms.FileBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms"
    return settings.SMS_FILE_PATH


def texts(folder) -> list[dict]:
    if not folder.exists():
        return []
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


@pytest.fixture
def reachable(alice, nurse):
    """Alice agreed to e-mail and text messages."""
    give_consent(alice, nurse, Consent.Kind.EMAIL_MESSAGES)
    give_consent(alice, nurse, Consent.Kind.TEXT_MESSAGES)
    return alice


def infusion_at(patient, nurse, day=WEDNESDAY, hour=10):
    return make_appointment(patient, Kind.INFUSION, local(patient.location, day, hour), nurse)


def test_each_offset_and_consented_channel_gets_one_reminder_due_on_time(
    frozen, reachable, nurse, outbox
):
    appointment = infusion_at(reachable, nurse)
    schedule_reminders([appointment])
    due = sorted((r.hours_before, r.channel, r.due_at) for r in Reminder.objects.all())
    starts = appointment.starts_at
    assert due == [
        (24, "email", starts - dt.timedelta(hours=24)),
        (24, "sms", starts - dt.timedelta(hours=24)),
        (48, "email", starts - dt.timedelta(hours=48)),
        (48, "sms", starts - dt.timedelta(hours=48)),
    ]
    # Each has its task, queued for when it is due.
    runs = sorted(r.run_after for r in DBTaskResult.objects.all())
    assert runs == sorted(r.due_at for r in Reminder.objects.all())


def test_only_the_channels_the_patient_consented_to_are_used(frozen, alice, nurse, outbox):
    give_consent(alice, nurse, Consent.Kind.TEXT_MESSAGES)
    withdrawn = give_consent(alice, nurse, Consent.Kind.EMAIL_MESSAGES)
    withdrawn.status = Consent.Status.WITHDRAWN
    withdrawn.save()
    schedule_reminders([infusion_at(alice, nurse)])
    assert set(Reminder.objects.values_list("channel", flat=True)) == {"sms"}


def test_a_patient_without_consent_or_address_gets_no_reminder(frozen, alice, bob, nurse):
    give_consent(bob, nurse, Consent.Kind.TEXT_MESSAGES)  # Bob has no phone number
    schedule_reminders([infusion_at(alice, nurse), infusion_at(bob, nurse, hour=13)])
    assert not Reminder.objects.exists()


def test_a_reminder_due_in_quiet_hours_goes_the_evening_before(frozen, reachable, nurse, outbox):
    early = infusion_at(reachable, nurse, hour=7)  # 24 h before is 07:00, in quiet hours
    schedule_reminders([early])
    due = Reminder.objects.filter(hours_before=24).values_list("due_at", flat=True)
    assert {d.astimezone(early.location.tz) for d in due} == {
        local(early.location, dt.date(2026, 3, 9), 20, 59)
    }


def test_a_reminder_already_past_is_not_made(frozen, reachable, nurse, outbox):
    soon = make_appointment(reachable, Kind.INFUSION, NOW + dt.timedelta(hours=30), nurse)
    schedule_reminders([soon])
    assert set(Reminder.objects.values_list("hours_before", flat=True)) == {24}


def test_the_reminder_says_when_where_and_how_to_get_home(
    frozen, reachable, nurse, outbox, run_worker, infusion
):
    infusion.preparation = "Eat nothing for 4 hours before."
    infusion.save()
    appointment = infusion_at(reachable, nurse)
    schedule_reminders([appointment])
    frozen.move_to(appointment.starts_at - dt.timedelta(hours=48), tick=False)
    run_worker()

    [email] = mail.outbox
    assert email.subject == "Reminder: your appointment at Dendrite"
    assert email.extra_headers["Message-ID"].startswith("<dendrite-reminder-")
    [text] = texts(outbox)
    for body in (email.body, text["body"]):
        assert "Wed, Mar 11, 2026, 10:00 AM EDT" in body
        assert "Boston, 1 Test Street, Boston, MA 02116" in body
        assert "(617) 555-0100" in body
        assert "drive you home" in body
        assert "not drive for" in body and "24 hours" in body
        assert "http://127.0.0.1:8000/appointment/confirm/" in body
        assert "http://127.0.0.1:8000/appointment/cancel/" in body
        assert "Alice" not in body or body is email.body
    assert "Eat nothing for 4 hours before." in email.body
    assert text["to"] == "+16175550142"
    assert set(Reminder.objects.filter(hours_before=48).values_list("status", flat=True)) == {
        Sent.SENT
    }
    assert set(Reminder.objects.filter(hours_before=24).values_list("status", flat=True)) == {
        Sent.PENDING
    }


def test_a_consultation_reminder_does_not_talk_about_driving(
    frozen, reachable, prescriber, outbox, run_worker
):
    visit = make_appointment(
        reachable, Kind.CONSULTATION, local(reachable.location, WEDNESDAY, 10), prescriber
    )
    schedule_reminders([visit])
    frozen.move_to(visit.starts_at - dt.timedelta(hours=48), tick=False)
    run_worker()
    [email] = mail.outbox
    assert "drive" not in email.body


def test_a_cancelled_appointment_gets_no_reminder(frozen, reachable, nurse, outbox, run_worker):
    appointment = infusion_at(reachable, nurse)
    schedule_reminders([appointment])
    cancel_reminders(appointment)
    frozen.move_to(appointment.starts_at - dt.timedelta(hours=1), tick=False)
    run_worker()
    assert mail.outbox == [] and texts(outbox) == []
    assert set(Reminder.objects.values_list("status", flat=True)) == {Sent.CANCELLED}


def test_an_appointment_cancelled_without_telling_the_reminders_still_gets_none(
    frozen, reachable, nurse, outbox, run_worker
):
    appointment = infusion_at(reachable, nurse)
    schedule_reminders([appointment])
    appointment.status = Status.NO_SHOW
    appointment.save()
    frozen.move_to(appointment.starts_at - dt.timedelta(hours=24), tick=False)
    run_worker()
    assert mail.outbox == [] and texts(outbox) == []


def test_a_consent_withdrawn_after_booking_stops_the_reminder(
    frozen, reachable, nurse, outbox, run_worker
):
    appointment = infusion_at(reachable, nurse)
    schedule_reminders([appointment])
    Consent.objects.create(
        patient=reachable,
        kind=Consent.Kind.TEXT_MESSAGES,
        status=Consent.Status.WITHDRAWN,
        date=NOW.date(),
        recorded_by=nurse,
    )
    frozen.move_to(appointment.starts_at - dt.timedelta(hours=48), tick=False)
    run_worker()
    assert texts(outbox) == []
    assert len(mail.outbox) == 1


def test_a_failed_send_is_retried_later_then_left_failed_for_staff(
    frozen, reachable, nurse, outbox, run_worker, settings
):
    settings.SMS_BACKEND = f"{__name__}.BrokenSms"
    appointment = infusion_at(reachable, nurse)
    schedule_reminders([appointment])
    Reminder.objects.exclude(channel="sms", hours_before=48).delete()
    [reminder] = Reminder.objects.all()
    frozen.move_to(reminder.due_at, tick=False)

    run_worker()
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.last_error) == (
        Sent.PENDING, 1, "ProviderDown"
    )  # fmt: skip
    assert "+1617" not in reminder.last_error
    assert reminder.due_at == NOW.replace(day=9, hour=14) + dt.timedelta(minutes=1)
    assert (
        Reminder.objects.filter(reminders.needs_attention(dt.datetime.now(tz=dt.UTC))).count() == 1
    )

    for _ in range(reminders.RETRY_LIMIT):
        frozen.move_to(max(reminder.due_at, dt.datetime.now(tz=dt.UTC)), tick=False)
        run_worker()
        reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Sent.FAILED, reminders.RETRY_LIMIT)
    assert (
        Reminder.objects.filter(reminders.needs_attention(dt.datetime.now(tz=dt.UTC))).count() == 1
    )


def test_a_retry_that_would_fall_in_quiet_hours_waits_for_the_morning(
    frozen, reachable, nurse, outbox, run_worker, settings
):
    settings.SMS_BACKEND = f"{__name__}.BrokenSms"
    appointment = infusion_at(reachable, nurse)
    schedule_reminders([appointment])
    Reminder.objects.exclude(channel="sms", hours_before=48).delete()
    [reminder] = Reminder.objects.all()
    Reminder.objects.update(due_at=local(appointment.location, dt.date(2026, 3, 9), 20, 59))
    frozen.move_to(local(appointment.location, dt.date(2026, 3, 9), 20, 59), tick=False)
    run_worker()
    reminder.refresh_from_db()
    assert reminder.due_at == local(appointment.location, dt.date(2026, 3, 10), 8, 0)


def test_the_sweep_queues_a_reminder_whose_task_was_lost(
    frozen, reachable, nurse, outbox, run_worker
):
    appointment = infusion_at(reachable, nurse)
    schedule_reminders([appointment])
    DBTaskResult.objects.all().delete()  # the queue lost them
    frozen.move_to(appointment.starts_at - dt.timedelta(hours=47), tick=False)
    assert reminders.sweep() == 2
    run_worker()
    assert len(mail.outbox) == 1 and len(texts(outbox)) == 1


def test_the_confirmation_is_one_message_with_a_calendar_file(
    frozen, reachable, nurse, outbox, run_worker
):
    icalendar = pytest.importorskip("icalendar")
    series = [infusion_at(reachable, nurse, WEDNESDAY + dt.timedelta(days=2 * n)) for n in range(3)]
    with transaction.atomic():
        reminders.send_confirmation(series)
    run_worker()
    [email] = mail.outbox
    assert email.subject == "Your appointment at Dendrite is booked"
    assert "Your 3 appointments" in email.body
    [(name, content, mimetype)] = email.attachments
    assert (name, mimetype) == ("appointment.ics", "text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    assert len(calendar.walk("VEVENT")) == 3
    [text] = texts(outbox)
    assert text["body"].count("2026, 10:00 AM EDT") == 3


def reminder_workers(count: int):
    """`count` real django-tasks-db workers in threads, started together."""
    from django_tasks_db.management.commands import db_worker

    start = threading.Barrier(count)

    def work(number: int) -> None:
        try:
            start.wait()
            db_worker.Worker(queue_names=["*"], excluded_queue_names=[], interval=0, batch=True,
                             backend_name="default", startup_delay=False, max_tasks=None,
                             worker_id=f"worker-{number}").run()  # fmt: skip
        finally:
            connection.close()

    return [threading.Thread(target=work, args=(n,)) for n in range(count)]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(frozen, reachable, nurse, outbox, monkeypatch):
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    appointments = [
        infusion_at(reachable, nurse, WEDNESDAY + dt.timedelta(days=2 * n)) for n in range(3)
    ]
    with transaction.atomic():
        schedule_reminders(appointments)
    frozen.move_to(appointments[0].starts_at - dt.timedelta(hours=1), tick=False)
    # Every reminder is due now, and the sweep queued each a second time.
    Reminder.objects.update(due_at=dt.datetime.now(tz=dt.UTC))
    reminders.sweep()
    assert DBTaskResult.objects.count() == 2 * Reminder.objects.count()

    threads = reminder_workers(2)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    sent = Reminder.objects.filter(status=Sent.SENT, attempts=1)
    keys = {r.idempotency_key for r in Reminder.objects.filter(channel="sms")}
    assert {t["key"] for t in texts(outbox)} == keys
    assert len(texts(outbox)) == len(keys)
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(ids) == len(set(ids)) == Reminder.objects.filter(channel="email").count()
    assert sent.count() == Reminder.objects.count()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_the_same_reminder_send_it_once(frozen, reachable, nurse, outbox):
    appointment = infusion_at(reachable, nurse)
    with transaction.atomic():
        schedule_reminders([appointment])
    frozen.move_to(appointment.starts_at - dt.timedelta(hours=1), tick=False)
    Reminder.objects.update(due_at=dt.datetime.now(tz=dt.UTC))
    ids = list(Reminder.objects.values_list("pk", flat=True))
    start = threading.Barrier(2)

    def race() -> None:
        try:
            start.wait()
            for reminder_id in ids:
                reminders.send_reminder.call(reminder_id)
        finally:
            connection.close()

    threads = [threading.Thread(target=race) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(texts(outbox)) == Reminder.objects.filter(channel="sms").count()
    assert len(mail.outbox) == Reminder.objects.filter(channel="email").count()
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}
