"""Who may see the dashboard and the people behind its figures.

- clinic admins and prescribers: the figures of the locations they work at, one at a time
  or all together, and the names behind each figure (each list audited with its ids);
- anyone else: the staff 403 page, audited as denied (accounts.decorators).
"""

from typing import Any

from django.db.models import QuerySet

from dendrite.accounts.models import Role, User
from dendrite.audit.log import record
from dendrite.clinics.models import Location

from . import queries, summaries

DASHBOARD_ROLES = frozenset({Role.CLINIC_ADMIN, Role.PRESCRIBER})


def locations_for(user: User) -> QuerySet[Location]:
    if user.role not in DASHBOARD_ROLES:
        return Location.objects.none()
    return Location.objects.filter(pk__in=user.location_ids).order_by("name")


def scoped(user: User, scope: queries.Scope) -> queries.Scope:
    """The scope narrowed to the user's own locations, whatever was asked for."""
    mine = user.location_ids if user.role in DASHBOARD_ROLES else frozenset()
    ids = tuple(sorted(pk for pk in scope.location_ids if pk in mine))
    return queries.Scope(ids, scope.start, scope.end, scope.condition,
                         scope.cohort_start, scope.cohort_end)  # fmt: skip


def figures_for(user: User, scope: queries.Scope) -> summaries.Live:
    """Where the figures of the user's scope come from: the summaries or the records."""
    return summaries.source(scoped(user, scope))


def behind_for(user: User, scope: queries.Scope, figure: str, limit: int) -> list[Any] | None:
    """The first `limit` rows behind a figure, in the user's scope; the list is audited
    (which leads, appointments or infusions, and so which patients, it showed)."""
    rows_qs = queries.behind(scoped(user, scope), figure)
    if rows_qs is None:
        return None
    rows = list(rows_qs[:limit])
    record(
        "dashboard.figure.list",
        user=user,
        object_type=rows_qs.model._meta.model_name or "",
        detail={"ids": [row.pk for row in rows], "figure": figure},
    )
    return rows
