"""Outgoing e-mail, always through the task queue.

`send_later` is called inside the transaction that stores whatever the mail is
about. With the default database queue the task row is written in that same
transaction (it exists if and only if the data does); with a queue outside the
database it is handed over when the transaction commits. A failed
send is retried with a growing delay, so a mail server that is down delays a
message but never loses it (nor blocks the request that caused it).
"""

import datetime as dt
import logging
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.utils import timezone

from dendrite.queue import enqueue_with_transaction

logger = logging.getLogger(__name__)


def message_id(key: str) -> str:
    """The same Message-ID for every try of one message, so a repeat can be recognised."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "dendrite.invalid"
    return f"<{key}@{domain}>"


def retry_delay(attempt: int) -> dt.timedelta:
    """1, 2, 4 … minutes between tries, at most an hour."""
    return dt.timedelta(minutes=min(2 ** (attempt - 1), 60))


@task()
def send_email(
    subject: str,
    body: str,
    to: list[str],
    html: str = "",
    attempt: int = 1,
) -> None:
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        if attempt >= settings.MAIL_RETRY_LIMIT:
            logger.error("E-mail gave up after %s attempts", attempt)
            raise
        logger.warning("E-mail attempt %s failed; retrying", attempt)
        send_email.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
            subject=subject, body=body, to=to, html=html, attempt=attempt + 1
        )
        raise


def send_later(subject: str, body: str, to: list[str], html: str = "") -> None:
    """Queue an e-mail with the current transaction. Subjects never carry PHI."""

    enqueue_with_transaction(send_email, subject=subject, body=body, to=list(to), html=html)
