"""Outgoing e-mail: stored first, sent once, by the task worker.

`send_later` is called inside the transaction that stores whatever the mail is about.
It writes an outbox row (dendrite/outbox) and queues a task that carries only the row's
id (dendrite/queue.py decides "now" or "on commit", and the delay between tries), so the
message exists if and only if the data does, and no address or body ever sits in the
task queue.

Exactly once, as the reminders do it:

1. `send_queued_email` claims the row with one conditional UPDATE (pending and due, or
   sending with an expired lease). Only the worker whose UPDATE changed the row sends.
2. It sends with the row's Message-ID, the same for every try: a mail server that
   accepted the message but answered after our timeout gets the same message again,
   recognisably one message.
3. It marks the row sent and erases the body and the addresses.

A failed send goes back to pending with a growing delay (and to failed after
MAIL_RETRY_LIMIT tries). A worker killed mid-send leaves the row "sending"; the sweep
(`manage.py send_due_mail`, every minute from cron) queues it again once the lease ends.
"""

import datetime as dt
import logging
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from dendrite import queue
from dendrite.outbox.models import Email
from dendrite.queue import enqueue_with_transaction, retry_delay

__all__ = ["message_id", "retry_delay", "send_later", "send_queued_email", "sweep"]

logger = logging.getLogger(__name__)
Status = Email.Status


def message_id(key: str) -> str:
    """The same Message-ID for every try of one message, so a repeat can be recognised."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "dendrite.invalid"
    return f"<{key}@{domain}>"


def send_later(subject: str, body: str, to: list[str], html: str = "") -> Email | None:
    """Store an e-mail and queue its sending, with the current transaction. Subjects never
    carry personal data (they are kept after sending); bodies and addresses are erased
    once sent. Nothing is stored when there is nobody to send to."""
    to = [address for address in to if address]
    if not to:
        return None
    email = Email.objects.create(
        subject=subject, body=body, html=html, to=list(to), due_at=timezone.now()
    )
    _queue(email.pk)
    return email


def _queue(email_id: int, at: dt.datetime | None = None) -> None:
    enqueue_with_transaction(send_queued_email, at=at, email_id=email_id)


def claimable(now: dt.datetime) -> Q:
    return queue.claimable(now)


def _claim(email_id: int, now: dt.datetime) -> bool:
    return queue.claim(
        Email.objects.all(), email_id, now, lease_seconds=settings.MAIL_LEASE_SECONDS
    )


@task()
def send_queued_email(email_id: int) -> None:
    now = timezone.now()
    if not _claim(email_id, now):
        return  # sent already, or another worker holds it
    email = Email.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        to=list(email.to),
        headers={"Message-ID": message_id(email.idempotency_key)},
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    mine = Email.objects.filter(pk=email_id, status=Status.SENDING)
    try:
        message.send()
    except Exception as error:
        _failed(email, error, now)
        return
    mine.update(
        status=Status.SENT, sent_at=timezone.now(), claimed_until=None, last_error="",
        body="", html="", to=[],
    )  # fmt: skip


def _failed(email: Email, error: Exception, now: dt.datetime) -> None:
    error_name = type(error).__name__[:200]  # never the message: it may hold an address
    mine = Email.objects.filter(pk=email.pk, status=Status.SENDING)
    with transaction.atomic():
        if email.attempts >= settings.MAIL_RETRY_LIMIT:
            logger.error(
                "E-mail %s gave up after %s attempts: %s", email.pk, email.attempts, error_name
            )
            mine.update(status=Status.FAILED, claimed_until=None, last_error=error_name)
            return
        logger.warning(
            "E-mail %s attempt %s failed (%s); retrying", email.pk, email.attempts, error_name
        )
        later = now + retry_delay(email.attempts)
        if mine.update(
            status=Status.PENDING, due_at=later, claimed_until=None, last_error=error_name
        ):
            _queue(email.pk, later)


def sweep(now: dt.datetime | None = None) -> int:
    """Queue again every e-mail a worker should have sent by now (its task was lost, or
    its worker died holding the claim). Extra tasks are harmless: only one claims."""
    now = now or timezone.now()
    ids = list(Email.objects.filter(claimable(now)).values_list("pk", flat=True))
    with transaction.atomic():
        for email_id in ids:
            _queue(email_id)
    return len(ids)
