"""How work is queued: the one place that decides between "now" and "on commit".

With the database queue (django-tasks-db) the task row is written in the current
transaction, so it exists if and only if the data it acts on does. Any other queue
(Redis) gets the task when the transaction commits, so a worker never looks for a row
that is not there yet, and a rolled-back transaction queues nothing.
"""

from typing import Any

from django.db import transaction
from django_tasks_db import DatabaseBackend


def enqueue_with_transaction(queued_task: Any, **kwargs: Any) -> None:
    """Enqueue `queued_task` (a Task, or `task.using(run_after=...)`) with these arguments."""
    if isinstance(queued_task.get_backend(), DatabaseBackend):
        queued_task.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: queued_task.enqueue(**kwargs))
