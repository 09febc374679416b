"""Writes to leads: each runs in one transaction, audits, and enqueues its notifications.

Converting a lead (convert_lead, at the end) creates the patient: the chart gets the
lead's contact details, the screening's questionnaires as stored responses with their
scores, and its health answers and ticked medicines as medical-history answers
(conversion.py says how each is carried). Open safety alerts move to the patient, and
the consents given on the inquiry become consent records. A lead that is a person
already on file (patients.access.duplicate_candidates) is linked to that chart instead.
A second click converts nothing more: it returns the same chart.
"""

import datetime as dt
from typing import Any, NamedTuple

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from dendrite.accounts.models import User
from dendrite.alerts.actions import add_risk, raise_alert, reasons_from
from dendrite.alerts.models import SafetyAlert
from dendrite.audit.log import record
from dendrite.instruments.scoring import ScoringError, score
from dendrite.mail import send_later
from dendrite.patients.actions import (
    carry_consents,
    record_duplicate_override,
    record_questionnaire_response,
    register_patient,
    save_history,
)
from dendrite.patients.models import ConsentKind, Patient, ResponseSource

from . import timing
from .conversion import history_answers
from .models import (
    ConsultationRequest,
    ContactMethod,
    Lead,
    LeadEvent,
    Outcome,
    Source,
    Status,
)


class StaleLead(Exception):
    """Someone else changed the lead since this form was drawn."""


def staff_addresses(lead: Lead) -> list[str]:
    return [lead.location.email] if lead.location.email else []


def notify_staff(lead: Lead) -> None:
    """Tell the location's inbox a lead is waiting. No personal data in the e-mail."""
    to = staff_addresses(lead)
    if not to:
        return
    context = {"lead": lead, "url": settings.SITE_URL + reverse("leads:detail", args=[lead.pk])}
    kind = "self-screening" if lead.source == Source.SCREENING else "inquiry"
    article = "an" if kind[0] in "aeiou" else "a"
    subject = (
        f"URGENT: {article} {kind} needs a call back today"
        if lead.urgent
        else f"New {kind} for {lead.location.name}"
    )
    send_later(subject, render_to_string("leads/email/staff_notification.txt", context), to)


def first_response_due(lead: Lead) -> Any:
    location = lead.location
    hours = [(h.weekday, h.opens, h.closes) for h in location.opening_hours.all()]
    closures = [(c.start_date, c.end_date) for c in location.closures.all()]
    days = location.first_response_business_days
    return timing.first_response_due(timezone.now(), days, location.tz, hours, closures)


@transaction.atomic
def create_lead(**fields: Any) -> Lead:
    """Store a new lead and queue the staff notification, all or nothing."""
    lead = Lead(**fields)
    lead.urgent = lead.urgent or lead.triage_outcome == Outcome.URGENT_SAFETY
    lead.first_response_due = first_response_due(lead)
    lead.full_clean()
    lead.save()
    record("leads.lead.create", obj=lead, detail={"source": lead.source, "urgent": lead.urgent})
    notify_staff(lead)
    if lead.flags:
        sync_safety_alert(lead)
    return lead


@transaction.atomic
def update_screening_lead(lead: Lead, **fields: Any) -> Lead:
    """Refresh a screening's lead as the person goes on; escalate it the moment it turns urgent."""
    was_urgent, had_flags = lead.urgent, list(lead.flags)
    for name, value in fields.items():
        setattr(lead, name, value)
    lead.flags = list(dict.fromkeys([*had_flags, *lead.flags]))  # a safety flag is never dropped
    lead.urgent = lead.urgent or lead.triage_outcome == Outcome.URGENT_SAFETY
    lead.full_clean()
    lead.save()
    record("leads.lead.update", obj=lead, detail={"fields": sorted(fields)})
    if lead.urgent and not was_urgent:
        notify_staff(lead)
    if lead.flags:
        sync_safety_alert(lead)
    return lead


def safety_answers(lead: Lead) -> dict[str, Any]:
    """The lead's answers to the questionnaires that carry safety questions, including
    ones not finished yet ("safety", kept by the screening as they come)."""
    collected = lead.answers or {}
    found = {
        code: dict(taken.get("answers", {}))
        for code, taken in collected.get("questionnaires", {}).items()
    }
    for code, answers in (collected.get("safety") or {}).items():
        found[code] = dict(answers) | found.get(code, {})
    return found


def sync_safety_alert(lead: Lead) -> None:
    """One screening, one alert: raised with the first flag, updated as answers add risk
    (and reopened if it was closed), never a second one."""
    reasons = reasons_from(safety_answers(lead))
    alert = lead.safety_alerts.order_by("pk").last()
    if alert is None:
        # A lead already converted (a late answer from an open tab) alerts on the chart too.
        raise_alert(
            location=lead.location, flags=lead.flags, source=lead.source, reasons=reasons,
            lead=lead, patient_id=lead.patient_id,
        )  # fmt: skip
    else:
        add_risk(alert, flags=lead.flags, reasons=reasons)


def _bump(lead: Lead, version: int, **changes: Any) -> Lead:
    """Apply staff changes only if nobody saved the lead since `version` was read."""
    updated = Lead.objects.filter(pk=lead.pk, version=version).update(
        version=version + 1, updated_at=timezone.now(), **changes
    )
    if not updated:
        raise StaleLead
    lead.refresh_from_db()
    return lead


@transaction.atomic
def change_status(lead: Lead, *, by: User, status: str, note: str, version: int) -> Lead:
    before = lead.status
    lead = _bump(lead, version, status=status)
    LeadEvent.objects.create(
        lead=lead, by=by, kind=LeadEvent.Kind.STATUS, from_status=before, to_status=status,
        note=note,
    )  # fmt: skip
    record("leads.lead.status", user=by, obj=lead, detail={"from": before, "to": status})
    return lead


@transaction.atomic
def log_contact(
    lead: Lead, *, by: User, channel: str, outcome: str, note: str, version: int
) -> Lead:
    """Record a contact attempt; a first attempt moves a new lead to "contacted"."""
    changes = {"status": Status.CONTACTED} if lead.status == Status.NEW else {}
    before = lead.status
    lead = _bump(lead, version, **changes)
    LeadEvent.objects.create(
        lead=lead, by=by, kind=LeadEvent.Kind.CONTACT, channel=channel, outcome=outcome,
        note=note, from_status=before, to_status=lead.status,
    )  # fmt: skip
    record("leads.lead.contact", user=by, obj=lead, detail={"channel": channel, "outcome": outcome})
    return lead


@transaction.atomic
def assign(lead: Lead, *, by: User, assignee: User | None, version: int) -> Lead:
    lead = _bump(lead, version, assignee=assignee)
    note = f"Assigned to {assignee}" if assignee else "Unassigned"
    LeadEvent.objects.create(lead=lead, by=by, kind=LeadEvent.Kind.ASSIGN, note=note)
    record(
        "leads.lead.assign", user=by, obj=lead,
        detail={"assignee": assignee.pk if assignee else None},
    )  # fmt: skip
    return lead


class Override(NamedTuple):
    """Staff make a new chart although these charts were shown as likely the same person."""

    candidates: list[int]
    reason: str
    token: str = ""


@transaction.atomic
def convert_lead(
    lead: Lead,
    *,
    by: User,
    existing: Patient | None = None,
    override: Override | None = None,
    **demographics: Any,
) -> Patient:
    """Create the patient from the lead (once), with its screening, and close the lead.

    With `existing` (a duplicate found on conversion), no chart is made: the lead is
    linked to that chart, and its screening, safety alerts and consents go there; of the
    medical-history answers only items the chart has no answer for yet are added (what
    the clinic recorded is never overwritten by a self-report). With `override`, the
    new chart keeps the reason staff gave for not linking.
    """
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.patient is not None:
        return lead.patient  # a double click, or a colleague was quicker
    if existing is None:
        patient = register_patient(
            Patient(location=lead.location, email=lead.email, phone=lead.phone, **demographics),
            by=by,
        )
        if override is not None and override.candidates:
            record_duplicate_override(
                patient, candidates=override.candidates, reason=override.reason, by=by,
                token=override.token,
            )  # fmt: skip
    else:
        patient = existing
    collected = lead.answers or {}
    answered = collected.get("answered_at")
    screened_at = dt.datetime.fromisoformat(answered) if answered else lead.created_at
    for code, taken in collected.get("questionnaires", {}).items():
        try:
            result = score(code, taken["answers"], sex=collected.get("sex"))
        except ScoringError:
            continue  # left unfinished in the screening: nothing to keep
        record_questionnaire_response(
            patient, result, taken["answers"], source=ResponseSource.SCREENING,
            authored_at=screened_at, by=by,
        )  # fmt: skip
    treatment = collected.get("treatment") or {}
    medicines = list(treatment.get("medications") or []) if "medications" in treatment else None
    history = history_answers(collected.get("health") or {}, medicines, screened_at.date())
    if existing is not None:
        on_chart = set(patient.history_answers.values_list("item", flat=True))
        history = {item: answer for item, answer in history.items() if item not in on_chart}
    if history:
        save_history(patient, history, by=by)
    SafetyAlert.objects.filter(lead=lead).update(patient=patient)
    carry_consents(patient, inquiry_consents(lead), source=consent_source(lead), by=by)
    before = lead.status
    Lead.objects.filter(pk=lead.pk).update(
        patient=patient, status=Status.BECAME_PATIENT, version=lead.version + 1,
        updated_at=timezone.now(),
    )  # fmt: skip
    note = (
        f"Linked to the existing chart {patient.mrn}."
        if existing is not None
        else f"Became patient {patient.mrn}."
    )
    LeadEvent.objects.create(
        lead=lead, by=by, kind=LeadEvent.Kind.STATUS, from_status=before,
        to_status=Status.BECAME_PATIENT, note=note,
    )  # fmt: skip
    verb = "link" if existing is not None else "convert"
    record(f"leads.lead.{verb}", user=by, obj=lead, patient_id=patient.pk)
    return patient


def inquiry_consents(lead: Lead) -> dict[str, dt.date]:
    """The consents the person gave on the inquiry or screening, with the day given: text
    messages when they ticked that box (with a phone number), e-mail messages when they
    agreed to be contacted and chose e-mail as the way."""
    day = timezone.localdate(lead.created_at, lead.location.tz)
    given: dict[str, dt.date] = {}
    if lead.consent_to_texts and lead.phone:
        given[ConsentKind.TEXT_MESSAGES] = day
    if (
        lead.consent_to_contact
        and lead.email
        and lead.preferred_contact_method == ContactMethod.EMAIL
    ):
        given[ConsentKind.EMAIL_MESSAGES] = day
    return given


def consent_source(lead: Lead) -> str:
    return "on the self-screening" if lead.source == Source.SCREENING else "on the web inquiry"


@transaction.atomic
def request_consultation(
    lead: Lead, *, location: Any, days: list[str], times: list[str], contact_by: str
) -> ConsultationRequest:
    """A consultation asked for from the screening's result page: kept on the lead (the
    inbox shows it), never a new lead. The person is anonymous here: audited as such."""
    request = ConsultationRequest.objects.create(
        lead=lead, location=location, days=days, times=times, contact_by=contact_by
    )
    record(
        "leads.lead.consultation_request", username="screening", obj=lead,
        detail={"request": request.pk},
    )  # fmt: skip
    return request
