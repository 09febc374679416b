"""A worker killed mid-send (SIGKILL, a real `manage.py db_worker` process on the test
database) does not lose the reminder nor send it twice: the sweep queues it again once
the lease has run out, and a new worker sends it with the same idempotency key."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dendrite import sms
from dendrite.patients.models import Consent
from dendrite.scheduling import reminders
from dendrite.scheduling.models import Kind, Reminder
from dendrite.scheduling.tests.conftest import give_consent, make_appointment

ROOT = Path(__file__).resolve().parents[3]


class Hang(sms.BaseSmsBackend):
    """A provider that never answers: the worker is killed while waiting."""

    def send(self, to: str, body: str, *, key: str) -> None:
        Path(os.environ["CRASH_MARKER"]).write_text(key)
        time.sleep(600)


class AcceptThenHang(sms.FileBackend):
    """The provider accepts the message; the worker dies before it stores "sent"."""

    def send(self, to: str, body: str, *, key: str) -> None:
        super().send(to, body, key=key)
        Path(os.environ["CRASH_MARKER"]).write_text(key)
        time.sleep(600)


def database_url() -> str:
    """The test database (SQLite file or PostgreSQL test_… database), for another process."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = db.get("PASSWORD") or ""
    return f"postgres://{db['USER']}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker(backend: str, tmp_path: Path) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "DENDRITE_TESTING": "1",
        "DENDRITE_SMS_BACKEND": f"{__name__}.{backend}",
        "DENDRITE_SMS_FILE_PATH": str(tmp_path / "sms"),
        "DENDRITE_SCHEDULING_QUIET_START": "00:00",  # the wall clock may be at night
        "DENDRITE_SCHEDULING_QUIET_END": "00:00",
        "CRASH_MARKER": str(tmp_path / "claimed"),
    }
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", "*",
               "--interval", "0.1", "--no-startup-delay"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip


def wait_for(path: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, "the worker never reached the send"
        time.sleep(0.05)


@pytest.fixture
def due_text(alice, nurse, settings, tmp_path):
    """One text reminder for Alice, due now by the wall clock (the worker's clock)."""
    settings.SMS_BACKEND = "dendrite.sms.FileBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms"
    settings.SCHEDULING_QUIET_HOURS = ("00:00", "00:00")
    give_consent(alice, nurse, Consent.Kind.TEXT_MESSAGES)
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    appointment = make_appointment(alice, Kind.INFUSION, starts, nurse)
    with transaction.atomic():
        reminder = Reminder.objects.create(appointment=appointment, channel="sms",
                                           hours_before=48, due_at=timezone.now())  # fmt: skip
        reminders.queue_send(reminder.pk, timezone.now())
    return reminder


def crash_then_recover(backend, reminder, tmp_path, time_machine, run_worker) -> Reminder:
    worker = start_worker(backend, tmp_path)
    try:
        wait_for(tmp_path / "claimed")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Reminder.Status.SENDING, 1)

    # Before the lease runs out nobody takes it over; after, the sweep queues it again.
    assert reminders.sweep(now=reminder.claimed_until - dt.timedelta(seconds=1)) == 0
    time_machine.move_to(reminder.claimed_until + dt.timedelta(seconds=1), tick=False)
    assert reminders.sweep() == 1
    run_worker()
    reminder.refresh_from_db()
    return reminder


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_before_the_provider_answered_sends_it_once_after_restart(
    due_text, tmp_path, time_machine, run_worker
):
    reminder = crash_then_recover("Hang", due_text, tmp_path, time_machine, run_worker)
    assert (reminder.status, reminder.attempts) == (Reminder.Status.SENT, 2)
    [sent] = (tmp_path / "sms").glob("*.json")
    assert sent.name == f"{reminder.idempotency_key}.json"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_after_the_provider_accepted_does_not_send_it_twice(
    due_text, tmp_path, time_machine, run_worker
):
    reminder = crash_then_recover("AcceptThenHang", due_text, tmp_path, time_machine, run_worker)
    assert (reminder.status, reminder.attempts) == (Reminder.Status.SENT, 2)
    [sent] = (tmp_path / "sms").glob("*.json")
    assert sent.name == f"{reminder.idempotency_key}.json"
