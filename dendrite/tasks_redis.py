"""Django's tasks on Redis through django-rq: Dendrite's backend when DENDRITE_REDIS_URL is set.

Why our own (about 150 lines): in 2026 no maintained package bridges Django's built-in
tasks API (django.tasks) to RQ. What was checked, on PyPI:

- django-rq 4.2 (which we use for the queues, the connection and `rqworker`) has no
  django.tasks backend.
- django-tasks-rq 0.12 (split out of django-tasks in 2026, "Beta") is built on the
  django-tasks backport, not on django.tasks: it installs that second copy of the
  framework, its results and signals are the backport's, its workers need its own Job
  class, and it declares Django up to 6.0. RQ also names a job after its call, arguments
  included, unless told otherwise (we give only the task's path).
- django-tasks-redis 0.4 and django-vtasks (alpha) are Redis backends with their own
  workers and storage, not RQ; django-tasks-db is the database queue we use already.

If one of them matures into a django.tasks backend for RQ (or Redis) with a worker that
runs `run_after`, this module should give way to it; test_redis_queue.py says what it
must do.

Workers run `manage.py rqworker --with-scheduler default` (the scheduler runs `run_after`).
A job reaches Redis at once, not on commit: callers go through
dendrite.queue.enqueue_with_transaction, which waits for the commit. Results last the
queue's DEFAULT_RESULT_TTL once finished and FAILED_JOB_TTL once failed; after that
get_result raises TaskResultDoesNotExist. Task arguments are ids only (dendrite/queue.py),
yet Redis must still be private to the clinic's servers: RQ pickles jobs.

Django's TaskResult is a frozen dataclass. Its changes here are new copies
(dataclasses.replace); only the return value is written in place, as Django's own
ImmediateBackend and django-tasks-db do, because TaskResult offers no public way to set it.
"""

from dataclasses import replace
from traceback import format_exception
from typing import Any

import django_rq
from django.conf import settings
from django.core import checks
from django.tasks import Task, TaskContext, TaskResult, TaskResultStatus, task_backends
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import TaskError
from django.tasks.exceptions import TaskResultDoesNotExist
from django.tasks.signals import task_enqueued, task_finished, task_started
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.json import normalize_json
from django.utils.module_loading import import_string
from django_rq.queues import get_result_ttl
from rq import get_current_job
from rq.job import Job, JobStatus

# Any other RQ status (queued, scheduled, deferred, …) means the task has yet to run.
STATUSES = {
    JobStatus.STARTED: TaskResultStatus.RUNNING,
    JobStatus.FINISHED: TaskResultStatus.SUCCESSFUL,
    JobStatus.FAILED: TaskResultStatus.FAILED,
    JobStatus.STOPPED: TaskResultStatus.FAILED,
    JobStatus.CANCELED: TaskResultStatus.FAILED,
}
# A failed job's arguments (e-mail bodies, say) leave Redis after a week, not RQ's year.
FAILED_JOB_TTL = 7 * 24 * 60 * 60
ERROR_CLASS = "exception_class_path"  # job.meta key, written by run_task when the task raises


def run_task(module_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """The function of every RQ job: run the task, sending the signals Django's backends send."""
    job = get_current_job()
    if job is None:
        raise RuntimeError("run_task runs inside an RQ job")
    backend = task_backends[job.meta["backend"]]
    running = replace(backend.to_result(job), status=TaskResultStatus.RUNNING)
    task_started.send(type(backend), task_result=running)
    try:
        if running.task.takes_context:
            value = running.task.call(TaskContext(task_result=running), *args, **kwargs)
        else:
            value = running.task.call(*args, **kwargs)
        value = normalize_json(value)
    except BaseException as error:  # recorded, then re-raised: RQ marks the job failed
        path = f"{type(error).__module__}.{type(error).__qualname__}"
        job.meta[ERROR_CLASS] = path
        job.save_meta()
        traceback = "".join(format_exception(error))
        failed = replace(
            running,
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            errors=[*running.errors, TaskError(exception_class_path=path, traceback=traceback)],
        )
        task_finished.send(type(backend), task_result=failed)
        raise
    done = replace(running, status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now())
    task_finished.send(type(backend), task_result=_returning(done, value))
    return value


def _returning(result: TaskResult, value: Any) -> TaskResult:
    """`result` with its return value: the one field TaskResult gives no public way to set
    (it is not an __init__ argument), so it is written as Django's own backends write it."""
    object.__setattr__(result, "_return_value", value)
    return result


class RQBackend(BaseTaskBackend):
    supports_defer = True  # RQ's scheduler: the worker needs --with-scheduler
    supports_async_task = True  # Task.call runs coroutines with async_to_sync
    supports_get_result = True
    supports_priority = False  # RQ has queues, not priorities

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        # "auto": django-rq would otherwise hold the job back until the transaction commits.
        queue = django_rq.get_queue(task.queue_name, commit_mode="auto")
        options: dict[str, Any] = {
            "args": (task.module_path, normalize_json(args), normalize_json(kwargs)),
            "job_id": get_random_string(32),
            "description": task.module_path,  # not the arguments, which may name a patient
            "meta": {"backend": self.alias, "run_after": task.run_after},
            "result_ttl": get_result_ttl(task.queue_name),
            "failure_ttl": FAILED_JOB_TTL,
        }
        if task.run_after is None:
            job = queue.enqueue(run_task, **options)
        else:
            job = queue.enqueue_at(task.run_after, run_task, **options)
        result = self.to_result(job, task)
        task_enqueued.send(type(self), task_result=result)
        return result

    def get_result(self, result_id: str) -> TaskResult:
        for name in sorted(self.queues or settings.RQ_QUEUES):
            try:
                job = django_rq.get_queue(name).fetch_job(result_id)
            except ValueError:  # not a valid RQ job id, so never one of ours
                break
            if job is not None and job.func_name == f"{__name__}.run_task":
                return self.to_result(job)
        raise TaskResultDoesNotExist(result_id)

    def to_result(self, job: Job, task: Task | None = None) -> TaskResult:
        """The TaskResult of one of run_task's jobs, as the job stands."""
        module_path, args, kwargs = job.args
        task = task or import_string(module_path).using(
            backend=self.alias, queue_name=job.origin, run_after=job.meta.get("run_after")
        )
        status = STATUSES.get(job.get_status(refresh=False), TaskResultStatus.READY)
        finished = status in {TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED}
        errors: list[TaskError] = []
        latest = job.latest_result() if finished else None
        if latest is not None and status == TaskResultStatus.FAILED and latest.exc_string:
            # No recorded class: RQ failed the job itself (a killed or abandoned worker).
            path = job.meta.get(ERROR_CLASS, "builtins.Exception")
            errors.append(TaskError(exception_class_path=path, traceback=latest.exc_string))
        result = TaskResult(
            task=task,
            id=job.id,
            status=status,
            enqueued_at=job.created_at,
            started_at=job.started_at,
            last_attempted_at=job.started_at,
            finished_at=job.ended_at if finished else None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=errors,
            worker_ids=[job.worker_name] if job.worker_name else [],
        )
        if latest is not None and status == TaskResultStatus.SUCCESSFUL:
            return _returning(result, latest.return_value)
        return result

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        rq_queues = settings.RQ_QUEUES
        return [
            checks.Error(f"Task queue {name!r} is not in RQ_QUEUES.", id="dendrite.tasks.E001")
            for name in sorted(self.queues)
            if name not in rq_queues
        ]
