"""Scheduled jobs without cron: `manage.py run_scheduler` ticks this every few seconds.

The jobs are listed in settings.SCHEDULED_JOBS (the wiring may name any app's command).
Each tick, for every job, the scheduler works out the latest due time and tries to insert
the (job, due time) row; the process that manages it runs the job, the others skip it, so
a job runs at most once per due time across every app machine. A job runs in the
scheduler's own process, one after another, through its management command; its outcome
(finished or failed, with the kind of error only) is kept for the clinic admins' page.
"""

import datetime as dt
import io
import logging
import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from . import cron
from .models import Heartbeat, JobRun, Outcome

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    label: str
    cron: str
    command: tuple[str, ...]

    @property
    def in_words(self) -> str:
        return cron.in_words(self.cron)


def jobs() -> list[Job]:
    return [
        Job(name, spec["label"], spec["cron"], tuple(spec["command"]))
        for name, spec in settings.SCHEDULED_JOBS.items()
    ]


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:160]


def beat(now: dt.datetime) -> None:
    Heartbeat.objects.update_or_create(name=process_name(), defaults={"beat_at": now})


def scheduler_is_stale(now: dt.datetime) -> bool:
    """True when no scheduler process has ticked for SCHEDULER_STALE_MINUTES."""
    limit = now - dt.timedelta(minutes=settings.SCHEDULER_STALE_MINUTES)
    return not Heartbeat.objects.filter(beat_at__gte=limit).exists()


def run_command(command: Sequence[str]) -> None:
    """Run a management command, its output discarded (commands print ids and counts
    only, but the scheduler keeps no output)."""
    call_command(*command, stdout=io.StringIO(), stderr=io.StringIO())


def _claim(job: Job, due: dt.datetime, now: dt.datetime) -> JobRun | None:
    try:
        with transaction.atomic():
            return JobRun.objects.create(
                job=job.name, due_at=due, started_at=now, host=process_name()
            )
    except IntegrityError:
        return None  # another process (or an earlier tick) has it


def tick(
    now: dt.datetime | None = None, run: Callable[[Sequence[str]], None] = run_command
) -> list[JobRun]:
    """Run every job that is due and not yet claimed; return the runs made."""
    now = now or timezone.now()
    beat(now)
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    made = []
    for job in jobs():
        row = _claim(job, cron.last_due(job.cron, local), now)
        if row is None:
            continue
        try:
            run(job.command)
        except Exception as error:
            logger.exception("Scheduled job %s failed", job.name)
            row.outcome, row.error = Outcome.FAILED, type(error).__name__[:120]
        else:
            row.outcome = Outcome.OK
        row.finished_at = timezone.now()
        row.save(update_fields=["outcome", "error", "finished_at"])
        made.append(row)
    return made


@dataclass(frozen=True)
class JobStatus:
    job: Job
    latest: JobRun | None
    last_ok: dt.datetime | None
    next_at: dt.datetime
    unfinished: bool  # the latest run was left running by a process that stopped


def status(now: dt.datetime | None = None) -> list[JobStatus]:
    """Each job with its latest run and its last good one, in three queries."""
    now = now or timezone.now()
    listed = jobs()
    names = [job.name for job in listed]
    latest_due = dict(
        JobRun.objects.filter(job__in=names)
        .values("job")
        .annotate(latest=Max("due_at"))
        .values_list("job", "latest")
    )
    last_ok = dict(
        JobRun.objects.filter(job__in=names, outcome=Outcome.OK)
        .values("job")
        .annotate(latest=Max("finished_at"))
        .values_list("job", "latest")
    )
    latest: dict[str, JobRun] = {}
    if latest_due:
        pairs = Q()
        for job, due in latest_due.items():
            pairs |= Q(job=job, due_at=due)
        latest = {run.job: run for run in JobRun.objects.filter(pairs)}
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    stale_after = dt.timedelta(minutes=settings.SCHEDULER_STALE_MINUTES)
    return [
        JobStatus(
            job=job,
            latest=(run := latest.get(job.name)),
            last_ok=last_ok.get(job.name),
            next_at=cron.next_due(job.cron, local),
            unfinished=run is not None
            and run.outcome == Outcome.RUNNING
            and now - run.started_at > max(stale_after, dt.timedelta(hours=1)),
        )
        for job in listed
    ]
