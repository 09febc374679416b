"""An e-mail is neither lost nor doubled (dendrite/mail.py), proven against a real SMTP
server (aiosmtpd, in this process) and a real worker process killed by SIGKILL.

The fake server behaves like a provider that honours the Message-ID as an idempotency
key: it records every delivery attempt and keeps one message per Message-ID."""

import asyncio
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dendrite import mail
from dendrite.outbox.models import Email

ROOT = Path(__file__).resolve().parents[3]


class Provider:
    """An SMTP handler: `hang` seconds before answering the first message."""

    def __init__(self, marker: Path, hang: float = 0) -> None:
        self.marker, self.hang = marker, hang
        self.attempts: list[str] = []  # Message-IDs, every delivery attempt
        self.kept: dict[str, bytes] = {}  # one per Message-ID

    async def handle_DATA(self, server, session, envelope) -> str:
        message_id = message_from_bytes(envelope.content)["Message-ID"]
        self.attempts.append(message_id)
        self.kept.setdefault(message_id, envelope.content)
        self.marker.write_text(message_id)
        if self.hang and len(self.attempts) == 1:
            await asyncio.sleep(self.hang)  # accepted, but the answer comes too late
        return "250 OK"


@pytest.fixture
def smtp(tmp_path):
    def start(hang: float = 0) -> tuple[Provider, int]:
        provider = Provider(tmp_path / "received", hang)
        with socket.socket() as probe:  # a free port
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        controller = Controller(provider, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        return provider, port

    started: list[Controller] = []
    yield start
    for controller in started:
        controller.stop()


def smtp_settings(port: int, timeout: float) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": timeout},
        }
    }


def database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = db.get("PASSWORD") or ""
    return f"postgres://{db['USER']}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def wait_for(path: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, "the worker never reached the mail server"
        time.sleep(0.05)


def queued() -> Email:
    with transaction.atomic():
        email = mail.send_later("Staff notice", "A lead is waiting.", ["staff@example.test"])
    assert email is not None
    return email


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_leaves_it_for_the_sweep_and_it_goes_once(
    smtp, tmp_path, time_machine, run_worker, settings
):
    provider, port = smtp(hang=600)
    email = queued()
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "DENDRITE_TESTING": "1",
        "DENDRITE_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DENDRITE_EMAIL_HOST": "127.0.0.1",
        "DENDRITE_EMAIL_PORT": str(port),
    }
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", "*",
               "--interval", "0.1", "--no-startup-delay"]  # fmt: skip
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_for(tmp_path / "received")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sending", 1)

    # Before the lease runs out nobody takes it over; after, the sweep queues it again.
    assert mail.sweep(now=email.claimed_until - dt.timedelta(seconds=1)) == 0
    time_machine.move_to(email.claimed_until + dt.timedelta(seconds=1), tick=False)
    assert mail.sweep() == 1
    settings.MAILERS = smtp_settings(port, timeout=5)
    provider.hang = 0
    run_worker()

    email.refresh_from_db()
    assert (email.status, email.attempts, email.body, email.to) == ("sent", 2, "", [])
    assert len(provider.attempts) == 2 and len(set(provider.attempts)) == 1
    assert list(provider.kept) == [mail.message_id(email.idempotency_key)]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_answers_after_the_timeout_gets_the_same_message_id_again(
    smtp, time_machine, run_worker, settings
):
    provider, port = smtp(hang=3)
    settings.MAILERS = smtp_settings(port, timeout=1)
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    email = queued()
    run_worker()  # times out after a second; the server accepted it nonetheless
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("pending", 1)
    assert email.last_error in ("TimeoutError", "SMTPServerDisconnected")
    time.sleep(3)  # let the slow answer go by
    time_machine.move_to(start + mail.retry_delay(1) + dt.timedelta(seconds=1), tick=False)
    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 2)
    assert len(provider.attempts) == 2 and len(provider.kept) == 1  # one message, by its id
