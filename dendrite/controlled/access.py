"""Who may open the controlled-substance log (the door, as patients/access.py is for charts).

- nurses and prescribers: the log of the locations they work at — receive stock, draw
  for infusions, count, dispose of vials, record a loss, read and export;
- clinic admins: read and export the log of their locations (an inspector asks them);
- front desk: nothing.

Anything else is a 404 from fetch_for, audited as denied.

Interface for the infusion record (dendrite/infusions):

    vials = vials_in_use_for(user, location)  # open or unopened vials with a balance

Each vial carries `balance_ml` (Decimal mL) and `opened_at` (first draw, or None).
"""

from typing import Any

from django.db.models import QuerySet

from dendrite.accounts.access import fetch_for, scope_for
from dendrite.accounts.models import CLINICAL_ROLES, Role, User
from dendrite.audit.log import record
from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Location

from .models import Count, Movement, Vial, settled

WRITE_ROLES = CLINICAL_ROLES
READ_ROLES = frozenset({*CLINICAL_ROLES, Role.CLINIC_ADMIN})


def get_location_for(
    user: User, pk: Any, action: str = "read_log", writing: bool = False
) -> Location:
    return fetch_for(
        user,
        Location.objects.all(),
        pk,
        roles=WRITE_ROLES if writing else READ_ROLES,
        location_of=lambda location: location.pk,
        action=action,
    )


def get_vial_for(user: User, pk: Any, action: str = "read", writing: bool = False) -> Vial:
    return settled(
        fetch_for(
            user,
            Vial.objects.with_balance().select_related("location", "receipt"),
            pk,
            roles=WRITE_ROLES if writing else READ_ROLES,
            location_of=lambda vial: vial.location_id,
            action=action,
        )
    )


def get_count_for(user: User, pk: Any) -> Count:
    return fetch_for(
        user,
        Count.objects.select_related("location", "by"),
        pk,
        roles=READ_ROLES,
        location_of=lambda count: count.location_id,
    )


def locations_for(user: User) -> QuerySet[Location]:
    if user.role not in READ_ROLES:
        return Location.objects.none()
    return scope_for(user, Location.objects.all(), "pk")


def vials_in_use_for(user: User, location: Location) -> list[Vial]:
    """The vials a nurse or prescriber of `location` may draw from: a balance left, in
    number order (the caller still gets a refusal from record_administration for a vial
    past its expiry or beyond-use date). Anyone else gets an empty list, audited."""
    if user.role not in WRITE_ROLES or not user.works_at(location.pk):
        record(
            "controlled.vial.list", user=user, obj=location, outcome=AuditEvent.Outcome.DENIED,
        )  # fmt: skip
        return []
    vials = [
        settled(vial)
        for vial in scope_for(user, Vial.objects.in_stock().filter(location=location)).order_by(
            "number"
        )
    ]
    record("controlled.vial.list", user=user, obj=location, detail={"ids": [v.pk for v in vials]})
    return vials


def movements_for(user: User, location: Location) -> QuerySet[Movement]:
    """The ledger of a location the caller has already opened with get_location_for."""
    return scope_for(user, Movement.objects.filter(location=location)).select_related(
        "vial", "by", "witness", "patient"
    )
