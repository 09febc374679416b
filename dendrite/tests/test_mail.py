"""Nothing is lost: an e-mail exists exactly when its data does, and a dead mail server
only delays it (dendrite/mail.py)."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.tasks import TaskResultStatus, task_backends
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dendrite.mail import message_id, retry_delay, send_later
from dendrite.outbox.models import Email

MONDAY_MORNING = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class MailServerDown(BaseEmailBackend):
    """A mail server that refuses every connection, and counts how often it was asked."""

    attempts = 0

    def send_messages(self, email_messages):
        MailServerDown.attempts += 1
        raise ConnectionRefusedError("mail server is down")


MAIL_SERVER_DOWN = {"default": {"BACKEND": f"{__name__}.MailServerDown"}}
MAIL_SERVER_UP = {"default": {"BACKEND": LOCMEM}}


@pytest.fixture
def mail_server_down(settings):
    MailServerDown.attempts = 0
    settings.MAILERS = MAIL_SERVER_DOWN
    return settings


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(MONDAY_MORNING, tick=False)
    return time_machine


class Rollback(Exception):
    pass


def waiting() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.READY))


@pytest.mark.django_db(transaction=True)
def test_an_email_queued_in_a_rolled_back_transaction_is_never_sent():
    with pytest.raises(Rollback), transaction.atomic():
        send_later("Your appointment is booked", "See you soon.", ["alice@example.test"])
        raise Rollback
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_an_email_queued_in_a_committed_transaction_is_queued_once():
    with transaction.atomic():
        send_later("Your appointment is booked", "See you soon.", ["alice@example.test"])
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_with_a_queue_outside_the_database_the_email_waits_for_the_commit(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    queue = task_backends["default"]
    with pytest.raises(Rollback), transaction.atomic():
        send_later("Your appointment is booked", "See you soon.", ["alice@example.test"])
        raise Rollback
    assert queue.results == []
    with transaction.atomic():
        send_later("Your appointment is booked", "See you soon.", ["alice@example.test"])
        assert queue.results == []
    assert len(queue.results) == 1


def test_the_delay_between_tries_doubles_up_to_an_hour():
    delays = [retry_delay(attempt) for attempt in range(1, 10)]
    assert [d.total_seconds() // 60 for d in delays] == [1, 2, 4, 8, 16, 32, 60, 60, 60]


@pytest.mark.django_db
def test_a_password_reset_survives_a_mail_server_that_is_down(
    client, nurse, mail_server_down, frozen, run_worker
):
    settings = mail_server_down
    response = client.post(reverse("accounts:password_reset"), {"email": nurse.email})
    # The person asking is not kept waiting for (or told about) the mail server.
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")

    run_worker()

    assert mail.outbox == []
    assert MailServerDown.attempts == 1
    stored = Email.objects.get()
    assert (stored.status, stored.attempts, stored.last_error) == (
        "pending", 1, "ConnectionRefusedError"
    )  # fmt: skip
    [retry] = waiting()
    assert retry.run_after == MONDAY_MORNING + retry_delay(1)
    # The queue holds the outbox row's id: never the address, the body or the link.
    assert retry.args_kwargs["kwargs"] == {"email_id": stored.pk}

    # Too early: the retry waits its turn even if the server is back.
    settings.MAILERS = MAIL_SERVER_UP
    frozen.shift(retry_delay(1) - dt.timedelta(seconds=1))
    run_worker()
    assert mail.outbox == []

    frozen.shift(dt.timedelta(seconds=2))
    run_worker()

    [message] = mail.outbox
    assert message.to == [nurse.email]
    assert message.extra_headers["Message-ID"] == message_id(stored.idempotency_key)
    stored.refresh_from_db()
    assert (stored.status, stored.body, stored.to) == ("sent", "", [])  # erased once sent
    assert message.subject == "Reset your Dendrite password"
    for personal in (nurse.email, nurse.username, nurse.first_name, nurse.last_name):
        assert personal not in message.subject
    link = re.search(r"http://testserver/accounts/password-reset/\S+/\S+/", message.body)
    assert link is not None
    assert waiting() == []

    # The link works: it leads to the page that sets the new password.
    follow = client.get(link.group(0))
    assert follow.status_code == 302
    assert "set-password" in follow.url


@pytest.mark.django_db
def test_the_retries_stop_after_the_retry_limit(mail_server_down, frozen, run_worker):
    settings = mail_server_down
    settings.MAIL_RETRY_LIMIT = 3
    send_later("Your appointment is booked", "See you soon.", ["alice@example.test"])

    for _ in range(settings.MAIL_RETRY_LIMIT + 2):
        run_worker()
        frozen.shift(dt.timedelta(hours=1, seconds=1))

    assert MailServerDown.attempts == 3
    assert Email.objects.get().status == "failed"
    assert waiting() == []


@pytest.mark.django_db
def test_each_retry_waits_longer_than_the_last(mail_server_down, frozen, run_worker):
    send_later("Your appointment is booked", "See you soon.", ["alice@example.test"])
    waits = []
    for attempt in (1, 2, 3):
        run_worker()
        [retry] = waiting()
        waits.append(retry.run_after - timezone.now())
        assert Email.objects.get().attempts == attempt
        frozen.shift(waits[-1])
    assert waits == [retry_delay(1), retry_delay(2), retry_delay(3)]
