"""Opening, taking and closing staff tasks; each write audited."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from dendrite.accounts.models import User
from dendrite.audit.log import record
from dendrite.patients.models import Patient

from .models import StaffTask, Status


class TaskClosed(Exception):
    """The task was closed by someone else in the meantime."""


def open_task(
    *,
    patient: Patient,
    kind: str,
    title: str,
    due_on: datetime.date,
    role: str,
    key: str | None = None,
    detail: str = "",
    owner: User | None = None,
    by: User | None = None,
) -> StaffTask:
    """Open a task at the patient's location. With a `key`, a second call (a rule run
    again, two workers at once) returns the task already opened, open or closed."""
    if key and (existing := StaffTask.objects.filter(key=key).first()):
        return existing
    try:
        with transaction.atomic():
            task = StaffTask.objects.create(
                patient=patient,
                location_id=patient.location_id,
                kind=kind,
                title=title,
                detail=detail,
                role=role,
                owner=owner,
                due_on=due_on,
                key=key or None,
                created_by=by,
            )
            record(
                "worklist.stafftask.open",
                user=by,
                username="" if by else "dendrite",
                obj=task,
                patient_id=patient.pk,
                detail={"kind": kind},
            )
    except IntegrityError:
        if not key:
            raise
        return StaffTask.objects.get(key=key)
    return task


def _locked_open(task: StaffTask) -> StaffTask:
    locked = StaffTask.objects.select_for_update().get(pk=task.pk)
    if locked.status != Status.OPEN:
        raise TaskClosed
    return locked


def take_task(task: StaffTask, *, by: User) -> StaffTask:
    """`by` becomes the task's owner."""
    with transaction.atomic():
        locked = _locked_open(task)
        locked.owner = by
        locked.save(update_fields=["owner"])
        record("worklist.stafftask.take", user=by, obj=locked, patient_id=locked.patient_id)
    return locked


def close_task(task: StaffTask, *, by: User, status: str, outcome: str) -> StaffTask:
    """Close as done or as not needed, with a few words of why."""
    if status not in (Status.DONE, Status.NOT_NEEDED):
        raise ValueError(status)
    if not outcome.strip():
        raise ValueError("a closed task says why")
    with transaction.atomic():
        locked = _locked_open(task)
        locked.status = status
        locked.outcome = outcome.strip()
        locked.closed_at = timezone.now()
        locked.closed_by = by
        locked.save(update_fields=["status", "outcome", "closed_at", "closed_by"])
        record(
            "worklist.stafftask.close",
            user=by,
            obj=locked,
            patient_id=locked.patient_id,
            detail={"status": status},
        )
    return locked
