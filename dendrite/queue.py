"""How work is queued: the one place that decides between "now" and "on commit", and how
long a failed send waits before its next try. Every sender uses it (mail.py, alerts,
scheduling's reminders, patient messages and waitlist offers).

With the database queue (django-tasks-db) the task row is written in the current
transaction, so it exists if and only if the data it acts on does. Any other queue
(Redis) gets the task when the transaction commits, so a worker never looks for a row
that is not there yet, and a rolled-back transaction queues nothing.

Task arguments are ids, never message bodies, addresses, names or links that grant
access: the worker loads the row and renders (STYLE.md, "Queued work").
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django_tasks_db import DatabaseBackend


def enqueue_with_transaction(task: Any, /, *, at: dt.datetime | None = None, **kwargs: Any) -> None:
    """Enqueue `task` with these arguments, to run at once or not before `at`.

    "At once" is a plain enqueue, never a `run_after` in the past: a queue such as RQ
    would otherwise hand the job to its scheduler instead of its workers."""
    queued = task.using(run_after=at) if at is not None else task
    if isinstance(queued.get_backend(), DatabaseBackend):
        queued.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: queued.enqueue(**kwargs))


def retry_delay(attempt: int) -> dt.timedelta:
    """The wait after failed try number `attempt`: 1, 2, 4 … minutes, at most an hour."""
    return dt.timedelta(minutes=min(2 ** (attempt - 1), 60))
