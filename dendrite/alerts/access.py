"""The one door to safety alerts and the on-call rota. Everyone at the location learns
that an alert is open; only nurses and prescribers open and act on it. Everyone at a
location may see its rota (who to call); only clinic admins change it."""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from dendrite.accounts.access import fetch_for, scope_for
from dendrite.accounts.models import CLINICAL_ROLES, Role, User
from dendrite.audit.log import record

from .models import AlertEvent, OnCallShift, SafetyAlert

# Who sees the list of open alerts: clinicians, and the clinic admins who receive the
# escalations. Opening an alert (its answers, acting on it) stays with clinicians.
LIST_ROLES = frozenset({*CLINICAL_ROLES, Role.CLINIC_ADMIN})


def get_alert_for(user: User, pk: Any) -> SafetyAlert:
    return fetch_for(
        user,
        SafetyAlert.objects.select_related(
            "location", "lead", "patient", "acknowledged_by", "closed_by"
        ),
        pk,
        roles=CLINICAL_ROLES,
        location_of=lambda alert: alert.location_id,
        patient_of=lambda alert: alert.patient_id or "",
    )


def open_alerts_for(user: User) -> QuerySet[SafetyAlert]:
    return scope_for(user, SafetyAlert.objects.open().select_related("location"))


def audit_list(user: User, alerts: Iterable[SafetyAlert]) -> None:
    """Which alerts a list page showed."""
    record("alerts.safetyalert.list", user=user, detail={"ids": [a.pk for a in alerts]})


def alert_events(alert: SafetyAlert) -> QuerySet[AlertEvent]:
    """The timeline of an alert already fetched through get_alert_for."""
    return alert.events.select_related("by")


def timeline_for(**about: Any) -> QuerySet[AlertEvent]:
    """Alert events of a lead or a patient the caller already fetched through its own
    access helper (which audited the read)."""
    prefix = {f"alert__{name}": value for name, value in about.items()}
    return AlertEvent.objects.filter(**prefix).select_related("by", "alert")


def shifts_for(user: User) -> QuerySet[OnCallShift]:
    return scope_for(user, OnCallShift.objects.select_related("location", "clinician", "backup"))


def get_shift_for(user: User, pk: Any) -> OnCallShift:
    return fetch_for(
        user,
        OnCallShift.objects.select_related("location"),
        pk,
        roles=[Role.CLINIC_ADMIN],
        location_of=lambda shift: shift.location_id,
    )
