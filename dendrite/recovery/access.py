"""Who sees the recovery record: nurses and prescribers at the patient's location
(the drinking record is substance-use data, CLINICAL.md §5.2; front desk and clinic
admins see none of it). The patient reaches only their own diary, by their link."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dendrite.accounts.access import fetch_for
from dendrite.accounts.models import CLINICAL_ROLES, User
from dendrite.clinics.models import Organization
from dendrite.patients.access import get_patient_for
from dendrite.patients.models import Patient

from .models import DiaryLink, DrinkingDay, MarkerDay, Plan, RecoverySettings, hash_token


def get_recovery_patient_for(user: User, pk: Any, *, edit: bool = False) -> Patient:
    """The patient whose drinking record or plans a nurse or prescriber opens (audited)."""
    return get_patient_for(user, pk, "edit_clinical" if edit else "read_clinical")


def get_plan_for(user: User, pk: Any) -> Plan:
    return fetch_for(
        user,
        Plan.objects.select_related("patient", "patient__location", "signed_by"),
        pk,
        roles=CLINICAL_ROLES,
        location_of=lambda plan: plan.patient.location_id,
        patient_of=lambda plan: plan.patient_id,
    )


def plan_versions(patient: Patient, kind: str) -> list[Plan]:
    return list(
        Plan.objects.filter(patient=patient, kind=kind)
        .select_related("signed_by")
        .order_by("-version")
    )


def latest_plans(patient: Patient) -> dict[str, Plan]:
    """The current version of each kind of plan, in one query."""
    latest: dict[str, Plan] = {}
    plans = Plan.objects.filter(patient=patient).select_related("signed_by")
    # Newest version first; one patient's, without the model's order's join to the patient.
    for plan in plans.order_by("kind", "-version"):
        latest.setdefault(plan.kind, plan)
    return latest


def days_between(patient: Patient, start: dt.date, end: dt.date) -> list[DrinkingDay]:
    return list(DrinkingDay.objects.filter(patient=patient, day__gte=start, day__lte=end))


def drinks_by_day(patient: Patient, since: dt.date | None = None) -> dict[dt.date, Decimal]:
    rows = DrinkingDay.objects.filter(patient=patient)
    if since is not None:
        rows = rows.filter(day__gte=since)
    # One patient's days: by day, without the model's order's join to the patient.
    return dict(rows.order_by("day").values_list("day", "drinks"))


def markers_between(patient: Patient, start: dt.date, end: dt.date) -> dict[dt.date, str]:
    rows = MarkerDay.objects.filter(patient=patient, day__gte=start, day__lte=end)
    return dict(rows.order_by("day").values_list("day", "text"))


def settings_for(organization_id: int) -> RecoverySettings:
    """The clinic's definition, or the defaults (unsaved) if it has not set one."""
    found = RecoverySettings.objects.filter(organization_id=organization_id).first()
    return found or RecoverySettings(organization=Organization(pk=organization_id))


def diary_links(patient: Patient) -> list[DiaryLink]:
    return list(patient.diary_links.select_related("created_by", "revoked_by")[:10])


def link_for_token(token: str) -> DiaryLink | None:
    """The usable link this token opens, or None (unknown, revoked or expired)."""
    if not token or len(token) > 100:
        return None
    return (
        DiaryLink.objects.usable()
        .select_related("patient", "patient__location")
        .filter(token_hash=hash_token(token))
        .first()
    )


def link_by_id(pk: Any) -> DiaryLink | None:
    """The link kept in the patient's diary session, if still usable."""
    if not isinstance(pk, int):
        return None
    found = DiaryLink.objects.usable().select_related("patient", "patient__location")
    return found.filter(pk=pk).first()


def local_today(patient: Patient) -> dt.date:
    """Today where the patient's clinic is (a diary day is the patient's day)."""
    return timezone.localdate(timezone=patient.location.tz)
