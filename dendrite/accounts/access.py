"""The one door to protected records.

Every view that opens a protected record calls a helper from here (or one built
the same way in its own app, like `get_patient_for`). The helper checks the
user's role and location, writes the audit entry — allowed or denied — and
returns the object or raises 404, so a view cannot forget any of the three and
a stranger cannot tell a forbidden record from a missing one.

The acting user is typed as the concrete `User` model here and in every app's
access helpers and actions, not as a protocol: actions store that user in foreign
keys (`recorded_by`, `created_by`, …), which only a `User` instance may fill, and the
views pass `request.user` after `staff_required` has refused anyone else. A protocol
would repeat the model's attributes without letting in any other kind of object.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from dendrite.audit.log import record
from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Location

from .models import Role, RoleRequest, User

ALL_ROLES = frozenset(Role.values)
MANAGER_ROLES = frozenset({Role.CLINIC_ADMIN})


def fetch_for[M: Model](
    user: User,
    queryset: QuerySet[M],
    pk: Any,
    *,
    roles: Iterable[str],
    location_of: Callable[[M], int | None],
    action: str = "read",
    patient_of: Callable[[M], Any] | None = None,
) -> M:
    """Return the object if `user` may open it; audit the attempt either way."""
    try:
        obj = queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
    label = f"{queryset.model._meta.label_lower}.{action}"
    patient_id = patient_of(obj) if patient_of else ""
    allowed = (
        user.is_authenticated
        and user.is_active
        and user.role in frozenset(roles)
        and user.works_at(location_of(obj))
    )
    if not allowed:
        record(label, user=user, obj=obj, patient_id=patient_id, outcome=AuditEvent.Outcome.DENIED)
        raise Http404
    record(label, user=user, obj=obj, patient_id=patient_id)
    return obj


def scope_for[Q: QuerySet[Any]](user: User, queryset: Q, location_field: str = "location") -> Q:
    """Narrow a list to the user's own locations."""
    return queryset.filter(**{f"{location_field}__in": user.location_ids})


def get_location_for(user: User, pk: Any) -> Location:
    """Any staff member may open the locations they work at, and only those."""
    return fetch_for(
        user,
        Location.objects.prefetch_related("opening_hours", "closures", "chairs"),
        pk,
        roles=ALL_ROLES,
        location_of=lambda location: location.pk,
    )


# Staff accounts. Rights rank: superuser > clinic admin (or anyone with back-office
# flags) > front desk, nurse, prescriber. A clinic admin manages only accounts of a
# strictly lower rank at their own locations — never another clinic admin, never a
# superuser; superusers manage everyone at their locations. Nobody manages their own
# account here (a change of one's own role or locations is a second person's job).


def rank(user: User) -> int:
    if user.is_superuser:
        return 3
    if user.is_staff or user.role == Role.CLINIC_ADMIN:
        return 2
    return 1


def may_manage(manager: User, user: User) -> bool:
    """Whether `manager` may change `user`'s account (location aside)."""
    if manager.pk == user.pk or manager.role not in MANAGER_ROLES:
        return False
    return manager.is_superuser or rank(user) < rank(manager)


def roles_granted_by(manager: User) -> list[str]:
    """The roles `manager` may give: below their own rank (every role, for a superuser)."""
    if manager.is_superuser:
        return list(Role.values)
    return [role for role in Role.values if role != Role.CLINIC_ADMIN]


def managed_users(manager: User) -> QuerySet[User]:
    """The accounts `manager` may change, in name order."""
    users = scope_for(manager, User.objects.all(), "locations").exclude(pk=manager.pk)
    if not manager.is_superuser:
        users = users.filter(is_superuser=False, is_staff=False, role__in=roles_granted_by(manager))
    return (
        User.objects.filter(pk__in=users.values("pk"))
        .prefetch_related("locations")
        .order_by("last_name", "first_name", "username")
    )


def shared_location(manager: User, user: User) -> int | None:
    """A location both work at, if `manager` may manage `user` at all; else None."""
    if not may_manage(manager, user):
        return None
    return min(manager.location_ids & user.location_ids, default=None)


def get_managed_user_for(manager: User, pk: Any) -> User:
    """A staff account the manager may change; anyone else is a 404, audited as denied."""
    return fetch_for(
        manager,
        User.objects.all(),
        pk,
        roles=MANAGER_ROLES,
        location_of=lambda user: shared_location(manager, user),
    )


def open_role_requests_for(manager: User) -> QuerySet[RoleRequest]:
    """Role changes waiting for a second admin, for the accounts `manager` may change."""
    return (
        RoleRequest.objects.open()
        .filter(user__in=managed_users(manager).values("pk"))
        .select_related("user", "requested_by")
    )


def get_role_request_for(manager: User, pk: Any) -> RoleRequest:
    """An open role change of an account the manager may change; else 404, audited."""
    return fetch_for(
        manager,
        RoleRequest.objects.open().select_related("user", "requested_by"),
        pk,
        roles=MANAGER_ROLES,
        location_of=lambda role_request: shared_location(manager, role_request.user),
    )
