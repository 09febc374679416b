"""The scheduler runs each job once per due time, however many processes tick, keeps
each run's outcome, and says when no scheduler is running."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dendrite.conftest import query_count, signed_in
from dendrite.ops import scheduler
from dendrite.ops.models import Heartbeat, JobRun, Outcome

pytestmark = pytest.mark.django_db

JOBS = {
    "every_minute": {"label": "Every minute job", "cron": "* * * * *", "command": ["a"]},
    "nightly": {"label": "Nightly job", "cron": "17 3 * * *", "command": ["b", "--x"]},
}
T0 = dt.datetime(2026, 11, 30, 15, 0, 5, tzinfo=dt.UTC)  # 10:00:05 in New York


@pytest.fixture(autouse=True)
def two_jobs(settings):
    settings.SCHEDULED_JOBS = JOBS


class Recorder:
    def __init__(self, fail: set[str] = frozenset()):
        self.calls: list[tuple[str, ...]] = []
        self.fail = fail

    def __call__(self, command):
        self.calls.append(tuple(command))
        if command[0] in self.fail:
            raise RuntimeError("name of a patient that must not be stored")


def test_each_job_runs_once_per_due_time():
    run = Recorder()
    scheduler.tick(T0, run)
    assert run.calls == [("a",), ("b", "--x")]  # the nightly one missed at 3:17 runs once
    scheduler.tick(T0 + dt.timedelta(seconds=30), run)
    assert len(run.calls) == 2  # same minute, same night: nothing again
    scheduler.tick(T0 + dt.timedelta(seconds=60), run)
    assert run.calls[2:] == [("a",)]
    scheduler.tick(T0 + dt.timedelta(days=1), run)
    assert run.calls[3:] == [("a",), ("b", "--x")]
    assert JobRun.objects.filter(job="nightly").count() == 2
    assert set(JobRun.objects.values_list("outcome", flat=True)) == {Outcome.OK}


def test_a_failing_job_is_recorded_without_its_message_and_the_others_still_run():
    run = Recorder(fail={"a"})
    scheduler.tick(T0, run)
    failed = JobRun.objects.get(job="every_minute")
    assert (failed.outcome, failed.error) == (Outcome.FAILED, "RuntimeError")
    assert JobRun.objects.get(job="nightly").outcome == Outcome.OK


def test_a_scheduler_down_for_days_runs_a_missed_job_once():
    run = Recorder()
    scheduler.tick(T0, run)
    scheduler.tick(T0 + dt.timedelta(days=5), run)
    assert run.calls.count(("b", "--x")) == 2


@pytest.mark.django_db(transaction=True)
def test_two_scheduler_processes_run_a_job_once():
    """Each thread has its own database connection, as two app machines would."""
    run = Recorder()
    barrier = threading.Barrier(4)
    errors = []

    def process():
        try:
            barrier.wait()
            scheduler.tick(T0, run)
        except Exception as error:  # pragma: no cover - shown in the assert
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=process) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(run.calls) == [("a",), ("b", "--x")]
    assert JobRun.objects.count() == 2


def test_the_scheduler_is_stale_without_a_recent_tick(settings):
    settings.SCHEDULER_STALE_MINUTES = 3
    assert scheduler.scheduler_is_stale(T0)
    scheduler.tick(T0, Recorder())
    assert not scheduler.scheduler_is_stale(T0 + dt.timedelta(minutes=2))
    assert scheduler.scheduler_is_stale(T0 + dt.timedelta(minutes=4))
    assert Heartbeat.objects.count() == 1


def test_the_command_ticks_once_with_real_commands(settings):
    settings.SCHEDULED_JOBS = {
        "mail": {"label": "E-mail", "cron": "* * * * *", "command": ["send_due_mail"]}
    }
    call_command("run_scheduler", "--once")
    assert JobRun.objects.get(job="mail").outcome == Outcome.OK


def test_the_jobs_page_for_clinic_admins_in_constant_queries(clinic_admin, nurse):
    url = reverse("ops:jobs")
    assert signed_in(nurse).get(url).status_code == 403
    with time_machine.travel(T0, tick=False):
        page = signed_in(clinic_admin).get(url).content.decode()
    assert "The scheduler is not running." in page
    assert "Not run yet" in page and "Every day at 3:17 AM" in page

    scheduler.tick(T0, Recorder(fail={"b"}))
    with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
        client = signed_in(clinic_admin)
        client.get(url)
        few = query_count(lambda: client.get(url))
    for minute in range(1, 30):
        scheduler.tick(T0 + dt.timedelta(minutes=minute), Recorder(fail={"b"}))
    with time_machine.travel(T0 + dt.timedelta(minutes=30), tick=False):
        client = signed_in(clinic_admin)
        client.get(url)
        many = query_count(lambda: client.get(url))
        page = client.get(url).content.decode()
    assert few == many
    assert "The scheduler is not running." not in page
    assert "failed</strong> (RuntimeError" in page
    assert "finished in" in page


def test_a_run_left_by_a_dead_process_says_so(clinic_admin):
    JobRun.objects.create(job="nightly", due_at=T0, started_at=T0)
    with time_machine.travel(T0 + dt.timedelta(hours=2), tick=False):
        page = signed_in(clinic_admin).get(reverse("ops:jobs")).content.decode()
    assert "did not finish" in page
    assert timezone.now()  # the page rendered under the travelled clock
