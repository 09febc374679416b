"""How work is queued (dendrite/queue.py): with the database queue the task row is part of
the transaction; any other queue gets the task on commit; a rollback queues nothing."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.db import transaction
from django.tasks import default_task_backend
from django_tasks_db.models import DBTaskResult

from dendrite import mail, queue
from dendrite.tests.redis_tasks import add

ROOT = Path(__file__).resolve().parents[1]
LATER = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)
DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


class Rollback(Exception):
    pass


@pytest.fixture
def other_queue(settings):
    """A queue outside the database (Django's dummy backend keeps what it is given)."""
    settings.TASKS = DUMMY
    return default_task_backend


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_task_row_is_written_in_the_transaction():
    with transaction.atomic():
        queue.enqueue_with_transaction(add, a=1, b=2)
        [row] = DBTaskResult.objects.all()  # there already, before the commit
    assert row.args_kwargs == {"args": [], "kwargs": {"a": 1, "b": 2}}


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_a_rollback_leaves_no_task():
    with pytest.raises(Rollback), transaction.atomic():
        queue.enqueue_with_transaction(add, a=1, b=2)
        raise Rollback
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_another_queue_gets_the_task_only_when_the_transaction_commits(other_queue):
    with transaction.atomic():
        queue.enqueue_with_transaction(add, a=1, b=2)
        assert other_queue.results == []
    [result] = other_queue.results
    assert (result.kwargs, result.task.run_after) == ({"a": 1, "b": 2}, None)


@pytest.mark.django_db(transaction=True)
def test_another_queue_gets_nothing_from_a_rolled_back_transaction(other_queue):
    with pytest.raises(Rollback), transaction.atomic():
        queue.enqueue_with_transaction(add, a=1, b=2)
        raise Rollback
    assert other_queue.results == []


@pytest.mark.django_db
def test_a_later_try_waits_for_its_time_and_a_task_for_now_has_no_time(
    other_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queue.enqueue_with_transaction(add, at=LATER, a=1, b=2)
        queue.enqueue_with_transaction(add, at=None, a=3, b=4)
    later, now = other_queue.results
    assert later.task.run_after == LATER
    # A past run_after would send an RQ job to the scheduler instead of a worker.
    assert now.task.run_after is None


def test_the_wait_between_tries_doubles_up_to_an_hour():
    waits = [queue.retry_delay(attempt) for attempt in range(1, 10)]
    assert [wait.total_seconds() / 60 for wait in waits] == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert mail.retry_delay is queue.retry_delay  # one rule, wherever it is imported from


def calls_outside_the_queue_module() -> list[str]:
    """Every `.enqueue(…)` and `on_commit(…)` in the application outside dendrite/queue.py
    (and the Redis backend, which is the queue)."""
    found = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{relative}" or relative in {"queue.py", "tasks_redis.py"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(), relative)):
            called = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            if called and node.func.attr in {"enqueue", "aenqueue", "on_commit"}:
                found.append(f"{relative}:{node.lineno}")
    return found


def test_every_sender_queues_through_the_queue_module():
    assert calls_outside_the_queue_module() == []


@pytest.mark.django_db
def test_one_claim_wins_a_live_lease_blocks_and_an_expired_one_is_taken_over():
    from dendrite.outbox.models import Email

    now = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC)
    email = Email.objects.create(subject="s", body="b", to=["a@example.test"], due_at=now)
    rows = Email.objects.all()
    assert queue.claim(rows, email.pk, now, lease_seconds=60)
    assert not queue.claim(rows, email.pk, now, lease_seconds=60)  # another worker
    later = now + dt.timedelta(seconds=61)  # the first worker died; its lease ran out
    assert queue.claim(rows, email.pk, later, lease_seconds=60)
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sending", 2)


@pytest.mark.django_db
def test_a_row_not_yet_due_is_not_claimed():
    from dendrite.outbox.models import Email

    now = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC)
    email = Email.objects.create(subject="s", body="b", to=["a@example.test"], due_at=now)
    earlier = now - dt.timedelta(minutes=1)
    assert not queue.claim(Email.objects.all(), email.pk, earlier, lease_seconds=60)
    assert queue.claim(Email.objects.all(), email.pk, earlier, lease_seconds=60, due=False)
