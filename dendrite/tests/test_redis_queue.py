"""The clinic-network set-up: tasks through Redis and an RQ worker (dendrite/tasks_redis.py).

Runs real processes against the Redis server at DENDRITE_TEST_REDIS_URL (default
127.0.0.1:6379, database 14, emptied by each test). Without a Redis server the tests are
skipped locally, but fail when CI is set: CI must provide one.
"""

import datetime as dt
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import django_rq
import pytest
import redis
from django.db import transaction
from django.tasks import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone
from rq import SimpleWorker
from rq.job import Job
from rq.scheduler import RQScheduler

from dendrite.mail import send_later, send_queued_email
from dendrite.outbox.models import Email
from dendrite.tests.redis_tasks import Boom, add, attempt, explode
from dendrite.tests.test_no_personal_data_in_the_queue import (
    assert_ids_only,
    drive_the_main_flows,
    personal_data,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("DENDRITE_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
LOCK_DB = 15


def redis_is_up() -> bool:
    address = urlparse(REDIS_URL)
    try:
        socket.create_connection((address.hostname, address.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture(autouse=True)
def empty_redis() -> Iterator[None]:
    """An empty test database for each test, one test run at a time.

    Two test runs on one machine (a developer's and CI's) would otherwise empty each
    other's queue half-way; they take turns through a lock kept in another database.
    """
    if not redis_is_up():
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a Redis server at {REDIS_URL}")
        pytest.skip(f"no Redis server at {REDIS_URL}")
    server = redis.Redis.from_url(REDIS_URL)
    turns = redis.Redis.from_url(REDIS_URL.rsplit("/", 1)[0] + f"/{LOCK_DB}")
    with turns.lock("dendrite:test-redis-queue", timeout=300, blocking_timeout=600):
        server.flushdb()
        yield


@pytest.fixture
def rq_tasks(settings):
    """This process queues its tasks in Redis, as an app process of a clinic network does."""
    settings.TASKS = {"default": {"BACKEND": "dendrite.tasks_redis.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    return settings


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    """The environment of a manage.py process set up for Redis."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DENDRITE_") and key != "DATABASE_URL"
    } | {
        "DENDRITE_TESTING": "1",
        "DENDRITE_VAR_DIR": str(tmp_path),
        "DENDRITE_REDIS_URL": REDIS_URL,
        "DENDRITE_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_worker(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run every task that is due, as `manage.py rqworker --with-scheduler default` would."""
    worker = manage(env, "rqworker", "--burst", "--with-scheduler", "default")
    assert worker.returncode == 0, worker.stderr
    return worker


def test_an_email_goes_through_redis_and_an_rq_worker_sends_it(env, tmp_path, rq_tasks):
    assert manage(env, "migrate", "--noinput").returncode == 0
    code = (
        "from django.db import transaction\n"
        "from dendrite.mail import send_later\n"
        "with transaction.atomic():\n"
        "    send_later('Queue check', 'Hello', ['staff@example.test'])\n"
    )
    enqueue = manage(env, "shell", "-c", code)
    assert enqueue.returncode == 0, enqueue.stderr
    assert not (tmp_path / "mail").exists()  # nothing is sent before a worker runs

    run_worker(env)

    sent = list((tmp_path / "mail").glob("*.log"))
    assert len(sent) == 1
    assert "Subject: Queue check" in sent[0].read_text()
    status = manage(
        env,
        "shell",
        "-c",
        "from dendrite.outbox.models import Email; print(Email.objects.get().status)",
    )
    assert status.stdout.split()[-1] == "sent"


def test_the_worker_records_what_each_task_did(env, rq_tasks):
    added = add.enqueue(2, 3)
    exploded = explode.enqueue("no luck")
    counted = attempt.enqueue()
    for result in (added, exploded, counted):
        assert result.status == TaskResultStatus.READY
        assert result.task.get_result(result.id) == result

    worker = run_worker(env)

    added.refresh()
    assert added.status == TaskResultStatus.SUCCESSFUL
    assert added.return_value == 5
    assert added.enqueued_at <= added.started_at <= added.finished_at
    assert added.attempts == 1
    assert added.errors == []
    exploded.refresh()
    assert exploded.status == TaskResultStatus.FAILED
    assert exploded.finished_at is not None
    [error] = exploded.errors
    assert error.exception_class is Boom
    assert "no luck" in error.traceback
    with pytest.raises(ValueError, match="Task failed"):
        exploded.return_value  # noqa: B018
    assert attempt.get_result(counted.id).return_value == 1
    # The worker sends task_started and task_finished, as Django's own backends do.
    for result, state in ((added, "SUCCESSFUL"), (exploded, "FAILED")):
        for line in ("state=RUNNING", f"state={state}"):
            assert f"Task id={result.id} path={result.task.module_path} {line}" in worker.stderr


def test_a_deferred_task_waits_for_its_time(env, rq_tasks):
    due = add.using(run_after=timezone.now() - dt.timedelta(seconds=1)).enqueue(1, 1)
    later = add.using(run_after=timezone.now() + dt.timedelta(hours=1)).enqueue(2, 2)

    run_worker(env)

    assert add.get_result(due.id).return_value == 2
    waiting = add.get_result(later.id)
    assert waiting.status == TaskResultStatus.READY
    assert waiting.task.run_after == later.task.run_after


@pytest.mark.parametrize("result_id", ["no-such-task", "not/a job:id"])
def test_an_unknown_result_does_not_exist(rq_tasks, result_id):
    with pytest.raises(TaskResultDoesNotExist):
        add.get_result(result_id)


class Rollback(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_an_email_queued_in_a_rolled_back_transaction_never_reaches_redis(rq_tasks):
    queue = django_rq.get_queue("default")
    with pytest.raises(Rollback), transaction.atomic():
        send_later("Your appointment is booked", "See you soon.", ["alice@example.test"])
        raise Rollback
    assert queue.count == 0
    with transaction.atomic():
        send_later("Your appointment is booked", "See you soon.", ["alice@example.test"])
        assert queue.count == 0
    [job_id] = queue.job_ids
    # Only the outbox row's id travels through Redis: no address, no body.
    [email] = Email.objects.all()
    assert send_queued_email.get_result(job_id).kwargs == {"email_id": email.pk}


def run_jobs_here() -> None:
    """Run every due job in this process (RQ's SimpleWorker, which does not fork, so the
    jobs see this test's database), moving due scheduled jobs to the queue first."""
    queue = django_rq.get_queue("default")
    while True:
        scheduler = RQScheduler([queue], connection=queue.connection)
        scheduler.acquire_locks()
        scheduler.enqueue_scheduled_jobs()
        scheduler.release_locks()
        worker = SimpleWorker([queue], connection=queue.connection)
        if not worker.work(burst=True, logging_level="WARNING"):
            return


def every_job() -> list[Job]:
    queue = django_rq.get_queue("default")
    ids = [key.decode().removeprefix("rq:job:") for key in queue.connection.keys("rq:job:*")]
    return [job for job in Job.fetch_many(ids, connection=queue.connection) if job is not None]


@pytest.mark.django_db(transaction=True)
def test_no_redis_job_holds_an_address_a_name_a_body_or_a_reset_link(
    rq_tasks,
    boston,
    alice,
    bob,
    nurse,
    front_desk,
    on_call,
    outboxes,
    clock,
):
    drive_the_main_flows(boston, alice, bob, nurse, front_desk, on_call, run_jobs_here, clock)

    jobs = every_job()
    paths = {job.args[0].rsplit(".", 1)[-1] for job in jobs}
    assert {"send_queued_email", "send_escalation", "send_patient_message",
            "offer_freed_slot", "send_reminder"} <= paths  # fmt: skip
    assert {job.description for job in jobs} == {job.args[0] for job in jobs}
    secrets = personal_data(nurse, on_call, texts=outboxes)
    assert_ids_only([[args, kwargs] for _, args, kwargs in (job.args for job in jobs)], secrets)
