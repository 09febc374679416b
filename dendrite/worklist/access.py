"""Who sees which task: its owner, the holders of the role it is addressed to, and the
clinic admins, at the task's location. Lists are narrowed to the user's locations."""

from typing import Any

from django.db.models import Q, QuerySet

from dendrite.accounts.access import ALL_ROLES, fetch_for, scope_for
from dendrite.accounts.models import Role, User
from dendrite.patients.models import Patient

from .models import StaffTask


def _visible(user: User) -> Q:
    if user.role == Role.CLINIC_ADMIN:
        return Q()
    return Q(owner=user) | Q(role=user.role)


def _listed(queryset: QuerySet[StaffTask]) -> QuerySet[StaffTask]:
    return queryset.select_related("patient", "location", "owner").order_by("due_on", "id")


def my_tasks(user: User) -> QuerySet[StaffTask]:
    """Open tasks taken by `user`, and open untaken ones addressed to their role."""
    mine = Q(owner=user) | (Q(owner__isnull=True) & Q(role=user.role))
    return _listed(scope_for(user, StaffTask.objects.open().filter(mine)))


def location_tasks(user: User) -> QuerySet[StaffTask]:
    """Every open task at the user's locations that the user may see."""
    return _listed(scope_for(user, StaffTask.objects.open().filter(_visible(user))))


def patient_tasks(patient: Patient, user: User) -> QuerySet[StaffTask]:
    """The patient's open tasks that the chart's viewer may see (the chart itself has
    already checked and audited the viewer's access to the patient)."""
    return _listed(StaffTask.objects.open().filter(_visible(user), patient=patient))


def get_task_for(user: User, pk: Any) -> StaffTask:
    def location_of(task: StaffTask) -> int | None:
        may = user.role == Role.CLINIC_ADMIN or task.owner_id == user.pk or task.role == user.role
        return task.location_id if may else None

    return fetch_for(
        user,
        StaffTask.objects.select_related("patient", "location", "owner", "created_by", "closed_by"),
        pk,
        roles=ALL_ROLES,
        location_of=location_of,
        patient_of=lambda task: task.patient_id,
    )
