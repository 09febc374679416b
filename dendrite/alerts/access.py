"""The one door to safety alerts. Everyone at the location learns that one is open;
only nurses and prescribers open and acknowledge it."""

from typing import Any

from django.db.models import QuerySet

from dendrite.accounts.access import fetch_for, scope_for
from dendrite.accounts.models import CLINICAL_ROLES

from .models import SafetyAlert


def get_alert_for(user: Any, pk: Any) -> SafetyAlert:
    return fetch_for(
        user,
        SafetyAlert.objects.select_related("location", "lead", "acknowledged_by"),
        pk,
        roles=CLINICAL_ROLES,
        location_of=lambda alert: alert.location_id,
    )


def open_alerts_for(user: Any) -> QuerySet[SafetyAlert]:
    return scope_for(user, SafetyAlert.objects.open().select_related("location"))
