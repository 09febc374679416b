"""Django's tasks on Redis through django-rq: Dendrite's backend when DENDRITE_REDIS_URL is set.

Workers run `manage.py rqworker --with-scheduler default` (the scheduler runs `run_after`).
A job reaches Redis at once, not on commit: callers use transaction.on_commit (as
dendrite.mail.send_later does). Results last the queue's DEFAULT_RESULT_TTL once finished
and FAILED_JOB_TTL once failed; after that get_result raises TaskResultDoesNotExist.
Redis must be private to the clinic's servers: RQ pickles jobs, and their arguments can
hold personal data.
"""

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
    result = backend.to_result(job)
    object.__setattr__(result, "status", TaskResultStatus.RUNNING)
    task_started.send(type(backend), task_result=result)
    try:
        if result.task.takes_context:
            value = result.task.call(TaskContext(task_result=result), *args, **kwargs)
        else:
            value = result.task.call(*args, **kwargs)
        value = normalize_json(value)
    except BaseException as error:  # recorded, then re-raised: RQ marks the job failed
        path = f"{type(error).__module__}.{type(error).__qualname__}"
        job.meta[ERROR_CLASS] = path
        job.save_meta()
        traceback = "".join(format_exception(error))
        result.errors.append(TaskError(exception_class_path=path, traceback=traceback))
        object.__setattr__(result, "status", TaskResultStatus.FAILED)
        object.__setattr__(result, "finished_at", timezone.now())
        task_finished.send(type(backend), task_result=result)
        raise
    object.__setattr__(result, "_return_value", value)
    object.__setattr__(result, "status", TaskResultStatus.SUCCESSFUL)
    object.__setattr__(result, "finished_at", timezone.now())
    task_finished.send(type(backend), task_result=result)
    return value


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
        for name in sorted(self.queues or getattr(settings, "RQ_QUEUES", {})):
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
            errors=[],
            worker_ids=[job.worker_name] if job.worker_name else [],
        )
        latest = job.latest_result() if finished else None
        if latest is not None and status == TaskResultStatus.SUCCESSFUL:
            object.__setattr__(result, "_return_value", latest.return_value)
        elif latest is not None and latest.exc_string:
            # No recorded class: RQ failed the job itself (a killed or abandoned worker).
            path = job.meta.get(ERROR_CLASS, "builtins.Exception")
            result.errors.append(TaskError(exception_class_path=path, traceback=latest.exc_string))
        return result

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        rq_queues = getattr(settings, "RQ_QUEUES", {})
        return [
            checks.Error(f"Task queue {name!r} is not in RQ_QUEUES.", id="dendrite.tasks.E001")
            for name in sorted(self.queues)
            if name not in rq_queues
        ]
