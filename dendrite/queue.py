"""How work is queued: the one place that decides between "now" and "on commit", and how
long a failed send waits before its next try. Every sender uses it (mail.py, alerts,
scheduling's reminders, patient messages and waitlist offers).

With the database queue (django-tasks-db) the task row is written in the current
transaction, so it exists if and only if the data it acts on does. Any other queue
(Redis) gets the task when the transaction commits, so a worker never looks for a row
that is not there yet, and a rolled-back transaction queues nothing.

Task arguments are ids, never message bodies, addresses, names or links that grant
access: the worker loads the row and renders (STYLE.md, "Queued work").

Every outgoing message row (outbox e-mail, patient message, reminder, safety-alert
escalation) is claimed the same way before it is sent: `claim` below, one conditional
UPDATE from "pending" (and due) or "sending" with an expired lease to "sending" with a
fresh lease. Only the worker whose UPDATE changed the row sends; a worker that died
holding it leaves a lease that runs out, and the sweeps queue the row again.

A send that fails is tried again later (`retry_or_give_up`), unless it raised
`Undeliverable`: a message that can never go out as addressed (a number that cannot
receive texts, a recipient who opted out) is left failed at once, with its reason for
staff. `describe` turns an error into what the row keeps.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F, Model, Q, QuerySet
from django_tasks_db import DatabaseBackend

# The two states every claimable message row shares (their Status choices).
PENDING = "pending"
SENDING = "sending"
FAILED = "failed"


def enqueue_with_transaction(task: Any, /, *, at: dt.datetime | None = None, **kwargs: Any) -> None:
    """Enqueue `task` with these arguments, to run at once or not before `at`.

    "At once" is a plain enqueue, never a `run_after` in the past: a queue such as RQ
    would otherwise hand the job to its scheduler instead of its workers."""
    queued = task.using(run_after=at) if at is not None else task
    if isinstance(queued.get_backend(), DatabaseBackend):
        queued.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: queued.enqueue(**kwargs))


class SendFailed(Exception):
    """A failed send whose message is a sentence for staff, with no address or number in
    it ("The text-message provider did not answer in time."). Tried again later."""


class Undeliverable(SendFailed):
    """A send that no later try can mend (the number cannot receive texts, the recipient
    opted out, the provider refused the message): the row is left failed at once."""


def describe(error: Exception) -> tuple[str, bool]:
    """What a failed row keeps as its error, and whether to give up now. Only our own
    errors keep their message; any other keeps its class name, since its message may
    hold an address."""
    if isinstance(error, SendFailed):
        return str(error)[:200], isinstance(error, Undeliverable)
    return type(error).__name__[:200], False


def retry_delay(attempt: int) -> dt.timedelta:
    """The wait after failed try number `attempt`: 1, 2, 4 … minutes, at most an hour."""
    return dt.timedelta(minutes=min(2 ** (attempt - 1), 60))


def claimable(now: dt.datetime, *, due: bool = True) -> Q:
    """Waiting (and due, for rows that carry a `due_at`), or claimed by a worker whose
    lease ran out: it died mid-send."""
    waiting = Q(status=PENDING, due_at__lte=now) if due else Q(status=PENDING)
    return waiting | Q(status=SENDING, claimed_until__lt=now)


def claim[M: Model](
    rows: QuerySet[M], pk: int, now: dt.datetime, *, lease_seconds: int, due: bool = True
) -> bool:
    """Take the row for sending, with a lease; False if it is not this worker's to send
    (sent already, not due, or another worker holds a live lease)."""
    lease = dt.timedelta(seconds=lease_seconds)
    with transaction.atomic():
        changed = rows.filter(claimable(now, due=due), pk=pk).update(
            status=SENDING, claimed_until=now + lease, attempts=F("attempts") + 1
        )
    return changed == 1


def retry_or_give_up[M: Model](
    rows: QuerySet[M], pk: int, *, attempts: int, error_name: str, now: dt.datetime,
    limit: int, queue_again: Callable[[dt.datetime], None], give_up: bool = False,
) -> bool:  # fmt: skip
    """After a claimed row's send failed: back to pending and queued again after
    retry_delay, or left failed after `limit` tries or at once with `give_up` (True).
    Only the claim holder's row changes; `error_name` comes from `describe`, never an
    error's own message (it may hold an address)."""
    mine = rows.filter(pk=pk, status=SENDING)
    with transaction.atomic():
        if give_up or attempts >= limit:
            mine.update(status=FAILED, claimed_until=None, last_error=error_name)
            return True
        later = now + retry_delay(attempts)
        if mine.update(status=PENDING, claimed_until=None, last_error=error_name):
            queue_again(later)
    return False
