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
from django.db.models import Q
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

from . import linking, timing
from .conversion import history_answers
from .models import (
    ConsultationRequest,
    ContactMethod,
    Lead,
    LeadEvent,
    LinkReason,
    Outcome,
    Source,
    Status,
)


class StaleLead(Exception):
    """Someone else changed the lead since this form was drawn."""


def staff_addresses(lead: Lead) -> list[str]:
    """The inbox of the lead's location, and of the person's first lead's if it differs."""
    places = [lead.location, *([lead.linked_to.location] if lead.linked_to else [])]
    return list(dict.fromkeys(place.email for place in places if place.email))


def notify_staff(lead: Lead) -> None:
    """Tell the location's inbox a lead is waiting, once per submission; a submission filed
    with the person's earlier lead says so and links to that lead. No personal data."""
    to = staff_addresses(lead)
    if not to:
        return
    person = linking.person_of(lead)
    url = settings.SITE_URL + reverse("leads:detail", args=[person.pk])
    context = {"lead": lead, "person": person, "url": url, "existing": person.pk != lead.pk}
    kind = "self-screening" if lead.source == Source.SCREENING else "inquiry"
    article = "an" if kind[0] in "aeiou" else "a"
    if lead.urgent:
        subject = f"URGENT: {article} {kind} needs a call back today"
    elif context["existing"]:
        subject = f"New message on an existing lead for {person.location.name}"
    else:
        subject = f"New {kind} for {lead.location.name}"
    send_later(subject, render_to_string("leads/email/staff_notification.txt", context), to)


def first_response_due(lead: Lead) -> Any:
    location = lead.location
    hours = [(h.weekday, h.opens, h.closes) for h in location.opening_hours.all()]
    closures = [(c.start_date, c.end_date) for c in location.closures.all()]
    days = location.first_response_business_days
    return timing.first_response_due(timezone.now(), days, location.tz, hours, closures)


@transaction.atomic
def create_lead(*, browser: Lead | None = None, **fields: Any) -> Lead:
    """Store a new lead and queue the staff notification, all or nothing.

    A submission of someone who already has a lead (same e-mail or phone, or sent from
    the browser whose self-screening made `browser`: matching.py) is stored as a lead of
    its own, with its answers, flags and alert, and filed with the person's first lead,
    whose contact details it brings up to date and whose urgency it can only raise."""
    lead = Lead(**fields)
    lead.urgent = lead.urgent or lead.triage_outcome == Outcome.URGENT_SAFETY
    lead.first_response_due = first_response_due(lead)
    lead.full_clean()
    person, reason = linking.earlier_lead(lead, browser)
    if person is not None:
        lead.linked_to, lead.link_reason, lead.linked_at = person, reason, timezone.now()
    lead.save()
    record("leads.lead.create", obj=lead, detail={"source": lead.source, "urgent": lead.urgent})
    if person is not None:
        _file_with(lead, person)
        record("leads.lead.link", username="website", obj=person, detail={"lead": lead.pk})
    notify_staff(lead)
    if lead.flags:
        sync_safety_alert(lead)
    return lead


def _file_with(lead: Lead, person: Lead) -> None:
    """The person's first lead takes the newer contact details and consents given, the
    reasons added, and the submission's urgency and safety flags: raised, never lowered."""
    person = Lead.objects.select_for_update().get(pk=person.pk)
    changes: dict[str, Any] = {"updated_at": timezone.now()}
    for name in ("email", "phone", "preferred_contact_method", "preferred_contact_time"):
        if getattr(lead, name):
            changes[name] = getattr(lead, name)
    for name in ("consent_to_contact", "consent_to_texts"):
        if getattr(lead, name):
            changes[name] = True  # an unticked box later is no withdrawal
    changes["reasons"] = list(dict.fromkeys([*(person.reasons or []), *(lead.reasons or [])]))
    Lead.objects.filter(pk=person.pk).update(**changes)
    _raise_person(lead)
    lead.linked_to = Lead.objects.select_related("location").get(pk=person.pk)


def _raise_person(lead: Lead) -> None:
    """A linked submission's urgency and safety flags reach the person's first lead (its
    alert stays with the submission that raised it); never lowered there."""
    if not lead.linked_to_id or not (lead.urgent or lead.flags):
        return
    person = Lead.objects.select_for_update().get(pk=lead.linked_to_id)
    flags = list(dict.fromkeys([*(person.flags or []), *(lead.flags or [])]))
    urgent = person.urgent or lead.urgent
    if (flags, urgent) != (person.flags, person.urgent):
        Lead.objects.filter(pk=person.pk).update(flags=flags, urgent=urgent)


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
    _raise_person(lead)
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
        # A lead already converted (a late answer from an open tab, or a new submission of
        # someone already a patient, filed with their lead) alerts on the chart too.
        person = linking.person_of(lead)
        raise_alert(
            location=lead.location, flags=lead.flags, source=lead.source, reasons=reasons,
            lead=lead, patient_id=lead.patient_id or person.patient_id,
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
def link_leads(lead: Lead, other: Lead, *, by: User) -> Lead:
    """Staff say two leads are the same person: the later one (with anything already
    filed with it) is filed with the earlier. Returns the person's first lead."""
    one, two = linking.person_of(lead), linking.person_of(other)
    if one.pk == two.pk:
        return one
    first, second = sorted([one, two], key=lambda item: (item.created_at, item.pk))
    moved = [second, *Lead.objects.filter(linked_to=second)]
    Lead.objects.filter(linked_to=second).update(linked_to=first)
    Lead.objects.filter(pk=second.pk).update(
        linked_to=first, link_reason=LinkReason.STAFF, linked_at=timezone.now()
    )
    for item in moved:
        item.linked_to_id = first.pk
        _raise_person(item)
    note = f"Linked with lead #{second.pk}: the same person."
    LeadEvent.objects.create(lead=first, by=by, kind=LeadEvent.Kind.LINK, note=note)
    record("leads.lead.link", user=by, obj=first, detail={"lead": second.pk})
    first.refresh_from_db()
    return first


@transaction.atomic
def unlink_lead(lead: Lead, *, by: User) -> Lead:
    """Undo a link (made on arrival or by staff): the lead stands alone again. What it
    raised on the person's lead (urgency, flags) stays there, for staff to judge."""
    person = linking.person_of(lead)
    if person.pk == lead.pk:
        return lead
    Lead.objects.filter(pk=lead.pk).update(linked_to=None, link_reason="", linked_at=None)
    note = f"Lead #{lead.pk} unlinked: not the same person, or to be worked on its own."
    LeadEvent.objects.create(lead=person, by=by, kind=LeadEvent.Kind.UNLINK, note=note)
    LeadEvent.objects.create(
        lead=lead, by=by, kind=LeadEvent.Kind.UNLINK, note=f"Unlinked from lead #{person.pk}."
    )
    record("leads.lead.unlink", user=by, obj=person, detail={"lead": lead.pk})
    lead.refresh_from_db()
    return lead


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
            Patient(
                location=lead.location,
                email=lead.email,
                phone=lead.phone,
                preferred_language=lead.language,
                **demographics,
            ),
            by=by,
        )
        if override is not None and override.candidates:
            record_duplicate_override(
                patient, candidates=override.candidates, reason=override.reason, by=by,
                token=override.token,
            )  # fmt: skip
    else:
        patient = existing
    # The person's later submissions filed with this lead (linking.py) come along: each
    # screening's questionnaires, health answers and consents, oldest first, and every
    # safety alert - nothing the person told the clinic stays behind on a lead.
    filed = list(Lead.objects.filter(linked_to=lead).order_by("created_at", "pk"))
    on_chart = set(patient.history_answers.values_list("item", flat=True)) if existing else set()
    for each in sorted([lead, *filed], key=lambda item: (item.created_at, item.pk)):
        _carry_screening(each, patient, keep=on_chart, by=by)
        carry_consents(patient, inquiry_consents(each), source=consent_source(each), by=by)
    SafetyAlert.objects.filter(Q(lead=lead) | Q(lead__linked_to=lead)).update(patient=patient)
    Lead.objects.filter(linked_to=lead).update(patient=patient)
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


def _carry_screening(lead: Lead, patient: Patient, *, keep: set[str], by: User) -> None:
    """A lead's screening onto the chart: its questionnaires as stored responses, and its
    health answers as medical history, except the items in `keep` (what the clinic had
    recorded on an existing chart is never overwritten by a self-report)."""
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
    history = {item: answer for item, answer in history.items() if item not in keep}
    if history:
        save_history(patient, history, by=by)


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


# A request made again within this time updates the first (request_consultation).
REQUEST_AGAIN_AFTER = dt.timedelta(days=1)


@transaction.atomic
def request_consultation(
    lead: Lead, *, location: Any, days: list[str], times: list[str], contact_by: str
) -> ConsultationRequest:
    """A consultation asked for from the screening's result page: kept on the lead (the
    inbox shows it), never a new lead. The person is anonymous here: audited as such.

    One request per lead a day: asking again within REQUEST_AGAIN_AFTER (a second click,
    a changed mind, or a page sent over and over) updates that request with the newest
    wishes instead of adding rows for the front desk to read through."""
    Lead.objects.select_for_update().filter(pk=lead.pk).first()  # one at a time per lead
    wishes = {"location": location, "days": days, "times": times, "contact_by": contact_by}
    recent = (
        ConsultationRequest.objects.filter(
            lead=lead, created_at__gte=timezone.now() - REQUEST_AGAIN_AFTER
        ).first()
    )  # fmt: skip
    if recent is not None:
        before = (recent.location_id, recent.days, recent.times, recent.contact_by)
        if before != (location.pk, days, times, contact_by):
            for name, value in wishes.items():
                setattr(recent, name, value)
            recent.save(update_fields=list(wishes))
            record(
                "leads.lead.consultation_request", username="screening", obj=lead,
                detail={"request": recent.pk, "updated": True},
            )  # fmt: skip
        return recent
    request = ConsultationRequest.objects.create(lead=lead, **wishes)
    record(
        "leads.lead.consultation_request", username="screening", obj=lead,
        detail={"request": request.pk},
    )  # fmt: skip
    return request
