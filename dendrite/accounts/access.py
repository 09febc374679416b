"""The one door to protected records.

Every view that opens a protected record calls a helper from here (or one built
the same way in its own app, like `get_patient_for`). The helper checks the
user's role and location, writes the audit entry — allowed or denied — and
returns the object or raises 404, so a view cannot forget any of the three and
a stranger cannot tell a forbidden record from a missing one.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404

from dendrite.audit.log import record
from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Location

from .models import Role

ALL_ROLES = frozenset(Role.values)


def fetch_for[M: Model](
    user: Any,
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
    except (queryset.model.DoesNotExist, ValueError, TypeError) as missing:
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


def scope_for[M: Model](
    user: Any, queryset: QuerySet[M], location_field: str = "location"
) -> QuerySet[M]:
    """Narrow a list to the user's own locations."""
    return queryset.filter(**{f"{location_field}__in": user.location_ids})


def get_location_for(user: Any, pk: Any) -> Location:
    """Any staff member may open the locations they work at, and only those."""
    return fetch_for(
        user,
        Location.objects.prefetch_related("opening_hours", "closures", "chairs"),
        pk,
        roles=ALL_ROLES,
        location_of=lambda location: location.pk,
    )
