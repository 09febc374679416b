"""Who may be booked for ketamine: the one rule, checked by every booking action inside
its transaction and shown before anyone picks a time.

A visit that gives ketamine (an infusion or a booster, alone or in a series, booked,
rebooked, moved or taken from the waitlist) needs all four of:

1. a treatment consent in force (Patient.consented_to);
2. a prescriber's sign-off of the medical history that still counts
   (HistorySignOff.objects.current: today's list of items, no answer changed since);
3. no open safety alert;
4. a last self-screening triage other than "not suitable for ketamine now", unless a
   prescriber overrode it, with a reason, after that triage (TriageOverride).

Consultations and follow-ups give no ketamine and are not gated. Everything is read in
one query, for one patient or for a page of them.
"""

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.urls import reverse

from dendrite.accounts.models import CLINICAL_ROLES, Role
from dendrite.alerts.models import SafetyAlert
from dendrite.leads.models import Lead, Outcome
from dendrite.patients.models import Consent, HistorySignOff, Patient, TriageOverride

from .models import AppointmentType


class Condition(StrEnum):
    CONSENT = "consent"
    HISTORY = "history"
    ALERT = "alert"
    TRIAGE = "triage"


def gives_ketamine(appointment_type: AppointmentType) -> bool:
    return appointment_type.is_infusion


def _annotated(patients: QuerySet[Patient]) -> QuerySet[Patient]:
    patient = OuterRef("pk")
    consent = Consent.objects.filter(patient=patient, kind=Consent.Kind.TREATMENT)
    # The newest lead the patient came from; a later screening would be a later lead.
    lead = Lead.objects.filter(patient=patient).order_by("-created_at", "-id")
    override = TriageOverride.objects.filter(
        patient=patient, outcome=TriageOverride.Outcome.NOT_SUITABLE_NOW
    ).order_by("-created_at", "-id")
    return patients.annotate(
        gate_consent=Subquery(consent.order_by("-date", "-id").values("status")[:1]),
        gate_signed_off=Exists(HistorySignOff.objects.current().filter(patient=patient)),
        gate_open_alert=Exists(SafetyAlert.objects.open().filter(patient=patient)),
        gate_triage=Subquery(lead.values("triage_outcome")[:1]),
        # When its answers were last stamped (screening/actions.lead_answers), which a
        # new triage always does; the lead's creation for a lead without the stamp.
        gate_answered_at=Subquery(lead.annotate(at=KT("answers__answered_at")).values("at")[:1]),
        gate_lead_at=Subquery(lead.values("created_at")[:1]),
        gate_overridden_at=Subquery(override.values("created_at")[:1]),
    )


FIELDS = (
    "pk", "gate_consent", "gate_signed_off", "gate_open_alert", "gate_triage",
    "gate_answered_at", "gate_lead_at", "gate_overridden_at",
)  # fmt: skip


@functools.cache
def rows() -> QuerySet[Patient, dict[str, Any]]:
    """The gate's query for every patient (a dict of FIELDS each), built once per process:
    resolving its seven subqueries costs Django more than running the query. Each caller
    filters a copy (a queryset is never changed in place; nothing here depends on the
    time or the request), and may annotate more of the patient: the chart's schedule
    reads its visit counts in the same query. `unmet_in` reads a row."""
    return _annotated(Patient.objects.all()).values(*FIELDS)


def _triaged_at(answered_at: str | None, lead_at: dt.datetime | None) -> dt.datetime | None:
    if answered_at:
        try:
            stamped = dt.datetime.fromisoformat(answered_at)
        except ValueError:
            stamped = None
        if stamped is not None and stamped.tzinfo is not None:
            return stamped
    return lead_at


def unmet_in(row: dict[str, Any]) -> list[Condition]:
    """The unmet conditions in one of rows()'s rows."""
    unmet = []
    if row["gate_consent"] != Consent.Status.GIVEN:
        unmet.append(Condition.CONSENT)
    if not row["gate_signed_off"]:
        unmet.append(Condition.HISTORY)
    if row["gate_open_alert"]:
        unmet.append(Condition.ALERT)
    if row["gate_triage"] == Outcome.NOT_SUITABLE_NOW:
        triaged_at = _triaged_at(row["gate_answered_at"], row["gate_lead_at"])
        overridden_at = row["gate_overridden_at"]
        # An override covers the triage made before it, never a later one.
        if overridden_at is None or triaged_at is None or overridden_at < triaged_at:
            unmet.append(Condition.TRIAGE)
    return unmet


def unmet(
    patient: Patient, appointment_type: AppointmentType | None = None, *, lock: bool = False
) -> list[Condition]:
    """The conditions this patient does not meet for a visit that gives ketamine, in a
    fixed order; empty when they may be booked (or the visit gives no ketamine).

    With `lock`, the patient's row stays locked to the end of the transaction, so a
    history change or sign-off (patients.actions._lock) waits for the booking."""
    if appointment_type is not None and not gives_ketamine(appointment_type):
        return []
    found = rows().filter(pk=patient.pk)
    if lock:
        found = found.select_for_update()
    return unmet_in(found.get())


def unmet_for(patient_ids: Iterable[int]) -> dict[int, list[Condition]]:
    """The unmet conditions of several patients (a page of a list), in one query."""
    found = rows().filter(pk__in=set(patient_ids))
    return {row["pk"]: unmet_in(row) for row in found}


# What staff read: which condition fails and who can clear it, then where.


@dataclass(frozen=True)
class Reason:
    text: str
    url: str = ""
    link: str = ""


TEXTS = {
    Condition.CONSENT: (
        "There is no signed treatment consent in force. Front desk, nurses and "
        "prescribers can record it on the chart once the patient has signed."
    ),
    Condition.HISTORY: (
        "The medical history has not been signed off by a prescriber yet. A prescriber "
        "can review and sign it off on the chart."
    ),
    Condition.ALERT: (
        "This patient has an open safety alert. A nurse or a prescriber needs to follow it "
        "up and record the outcome on the safety alerts page."
    ),
}
TRIAGE_CLINICAL = (
    "The last self-screening found ketamine not suitable for this patient now, and no "
    "prescriber has overridden that since. A prescriber can review it and record an "
    "override, with the reason, on the chart."
)
# Front desk does not see triage outcomes (leads/access.py): only that a review is due.
TRIAGE_FRONT_DESK = (
    "The self-screening result needs a prescriber's review first. A prescriber can "
    "review it and record their decision, with the reason, on the chart."
)


def _text(condition: Condition, clinical: bool) -> str:
    if condition == Condition.TRIAGE:
        return TRIAGE_CLINICAL if clinical else TRIAGE_FRONT_DESK
    return TEXTS[condition]


def _link(condition: Condition, patient_id: int, role: str | None) -> tuple[str, str]:
    """Where the viewer can clear the condition, if they can get there."""
    chart = reverse("patients:chart", args=[patient_id])
    if condition == Condition.CONSENT:
        return reverse("patients:consent_add", args=[patient_id]), "Record a consent"
    if role not in CLINICAL_ROLES:
        return "", ""
    if condition == Condition.HISTORY:
        return chart + "#history", "Open the medical history"
    if condition == Condition.ALERT:
        return reverse("alerts:list"), "Open the safety alerts"
    if role == Role.PRESCRIBER:
        return reverse("patients:triage_override", args=[patient_id]), "Record an override"
    return chart + "#triage", "See the triage overrides"


def reasons(conditions: Iterable[Condition], patient_id: int, viewer: Any) -> list[Reason]:
    """Each unmet condition in words for this viewer, with a link where they can act."""
    role = getattr(viewer, "role", None)
    clinical = role in CLINICAL_ROLES
    return [
        Reason(_text(condition, clinical), *_link(condition, patient_id, role))
        for condition in conditions
    ]


def refusal(conditions: Iterable[Condition], viewer: Any) -> str:
    """The whole refusal as one message (the booking actions' Refused)."""
    role = getattr(viewer, "role", None)
    texts = [_text(condition, role in CLINICAL_ROLES) for condition in conditions]
    return " ".join(["Infusions cannot be booked for this patient yet.", *texts])
