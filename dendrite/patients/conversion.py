"""Turning a lead into a patient: nothing the person already told us is typed again.

The chart gets the lead's contact details, the screening's questionnaires as stored
responses with their scores, and its health answers as medical-history answers that
wait for a prescriber's sign-off (a new chart has none). Open safety alerts move to
the patient. A second click converts nothing more: it returns the same chart.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from dendrite.alerts.models import SafetyAlert
from dendrite.audit.log import record
from dendrite.instruments.scoring import ScoringError, score
from dendrite.leads.models import Lead, LeadEvent, Status

from .actions import record_questionnaire_response, register_patient, save_history
from .models import Answer, Patient, ResponseSource

# Screening health question → the chart's history items (history_items.py). Where one
# question covers several items, a "yes" cannot say which: those become "not known"
# for the prescriber to ask about, while a "no" answers them all.
HISTORY_FROM_SCREENING = {
    "blood_pressure": ("hypertension",),
    "heart_vascular": ("arrhythmia", "cerebrovascular", "aneurysm", "avm", "brain-bleed"),
    "raised_pressure": ("intracranial-pressure", "glaucoma"),
    "seizures": ("epilepsy",),
    "psychosis_mania": ("psychosis", "mania"),
    "pregnancy": ("pregnancy",),
    "ketamine_misuse": ("intoxication-or-opioids",),
    "ketamine_allergy": ("hypersensitivity",),
}


def history_answers(health: dict[str, str], medicines: list[str], on: dt.date) -> dict:
    """The screening's answers as chart history answers: item → (answer, note)."""
    note = f"From the self-screening of {on:%d %b %Y}; to be confirmed."
    answers: dict[str, tuple[str, str]] = {}
    for question, items in HISTORY_FROM_SCREENING.items():
        said = health.get(question)
        if said is None:
            continue
        if said == "no":
            answer = Answer.NO
        elif said == "yes" and len(items) == 1:
            answer = Answer.YES
        else:
            answer = Answer.UNKNOWN
        for item in items:
            text = (
                note
                if answer != Answer.UNKNOWN or said != "yes"
                else (
                    f"Said yes to a combined question in the self-screening of {on:%d %b %Y}; "
                    "ask which applies."
                )
            )
            answers[item] = (answer, text)
    if "benzodiazepines" in medicines:
        answers["benzodiazepines"] = (
            Answer.UNKNOWN,
            f"Takes a benzodiazepine (self-screening of {on:%d %b %Y}); check the daily dose.",
        )
    return answers


def split_name(name: str) -> tuple[str, str]:
    first, _, last = name.strip().rpartition(" ")
    return (first, last) if first else (last, "")


@transaction.atomic
def convert_lead(lead: Lead, *, by: Any, **demographics: Any) -> Patient:
    """Create the patient from the lead (once), with its screening, and close the lead."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.patient_id is not None:
        return lead.patient  # a double click, or a colleague was quicker
    patient = register_patient(
        Patient(location=lead.location, email=lead.email, phone=lead.phone, **demographics),
        by=by,
    )
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
    medicines = collected.get("treatment", {}).get("medications", []) or []
    history = history_answers(collected.get("health", {}), list(medicines), screened_at.date())
    if history:
        save_history(patient, history, by=by)
    SafetyAlert.objects.filter(lead=lead).update(patient=patient)
    before = lead.status
    Lead.objects.filter(pk=lead.pk).update(
        patient=patient, status=Status.BECAME_PATIENT, version=lead.version + 1,
        updated_at=timezone.now(),
    )  # fmt: skip
    LeadEvent.objects.create(
        lead=lead, by=by, kind=LeadEvent.Kind.STATUS, from_status=before,
        to_status=Status.BECAME_PATIENT, note=f"Became patient {patient.mrn}.",
    )  # fmt: skip
    record("leads.lead.convert", user=by, obj=lead, patient_id=patient.pk)
    return patient
