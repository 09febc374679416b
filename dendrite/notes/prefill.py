"""What the chart writes into a new note's sections (a template section's `fill`), in
words a prescriber reads and may then edit: the latest suicide-risk screening and the
patient's safety alerts, the medical history items answered "yes" (by their labels),
and the current medications and allergies. Read when the note is started, from a
patient the caller has already opened through the access door."""

from dendrite import dates
from dendrite.alerts.models import AlertEvent
from dendrite.patients import history_items
from dendrite.patients.actions import current_sign_off
from dendrite.patients.models import Answer, Patient

from .models import Fill

CSSRS = "c-ssrs-screener"
# The C-SSRS screener's tiers (instruments/scoring.py cssrs_tier), in words.
CSSRS_TIERS = {
    "high": "High suicide risk",
    "moderate": "Moderate suicide risk",
    "low": "Low suicide risk",
    "none": "No suicidal ideation or behaviour endorsed",
}


def _day(patient: Patient, moment: object) -> str:
    return dates.day(moment, patient.location.tz)  # type: ignore[arg-type]


def risk(patient: Patient) -> str:
    lines = []
    latest = patient.questionnaire_responses.filter(instrument=CSSRS).first()
    if latest is None:
        lines.append("No C-SSRS screener on file.")
    else:
        words = CSSRS_TIERS.get(latest.band, latest.band.replace("-", " ").capitalize())
        lines.append(f"C-SSRS screener on {_day(patient, latest.authored_at)}: {words}.")
    events = AlertEvent.objects.filter(alert__patient=patient).select_related("alert")
    last = events.order_by("-at", "-pk").first()
    if last is None:
        lines.append("No safety alerts.")
    else:
        alert = last.alert
        state = "still open" if alert.closed_at is None else "closed"
        lines.append(
            f"Safety alert ({alert.get_tier_display().lower()}) raised "
            f"{_day(patient, alert.raised_at)}, {state}; last step: "
            f"{last.get_kind_display().lower()} on {_day(patient, last.at)}."
        )
    return "\n".join(lines)


def history(patient: Patient) -> str:
    labels = dict(history_items.choices())
    answers = patient.history_answers.filter(answer=Answer.YES).order_by("item")
    yes = [f"- {labels.get(a.item, a.item)}{f' ({a.note})' if a.note else ''}" for a in answers]
    sign_off = current_sign_off(patient)
    reviewed = (
        f"Medical history signed off by {sign_off.signed_by} on "
        f"{_day(patient, sign_off.signed_at)}."
        if sign_off
        else "The medical history has not been signed off."
    )
    if not yes:
        return f"{reviewed}\nNo item answered “yes”."
    return f"{reviewed}\nAnswered “yes”:\n" + "\n".join(yes)


def medications(patient: Patient) -> str:
    meds = [f"- {m.name} {m.dose}, {m.frequency}" for m in patient.medications.filter(active=True)]
    allergies = [
        f"- {a.substance}{f': {a.reaction}' if a.reaction else ''} ({a.get_severity_display()})"
        for a in patient.allergies.all()
    ]
    text = "Current medications:\n" + ("\n".join(meds) if meds else "None recorded.")
    if allergies:
        text += "\nAllergies:\n" + "\n".join(allergies)
    elif patient.no_known_allergies:
        text += "\nAllergies: no known allergies."
    else:
        text += "\nAllergies: none recorded."
    return text


FILLS = {Fill.RISK: risk, Fill.HISTORY: history, Fill.MEDICATIONS: medications}


def text_for(fill: str, patient: Patient) -> str:
    builder = FILLS.get(fill)  # type: ignore[call-overload]
    return builder(patient) if builder else ""
