"""The notes on the chart and on an appointment's page, in one query however many notes
the patient has. The chart (patients) and the schedule (scheduling) sit below notes and
import nothing of it: SECTION and PANEL are added when the app is ready (apps.py).

Front desk sees that a note exists (kind, date, author, status) and not what it says:
the links to the notes are for nurses and prescribers only."""

from typing import Any

from dendrite.accounts.models import CLINICAL_ROLES, Role
from dendrite.links import row_url
from dendrite.patients.chart import Section
from dendrite.patients.models import Patient
from dendrite.scheduling.models import Appointment, Kind
from dendrite.scheduling.panels import Panel

from .access import audit_list, notes_of
from .models import Note, NoteKind

NOTES_SHOWN = 20
# The note a prescriber writes for each kind of visit.
NOTE_FOR_VISIT = {Kind.CONSULTATION: NoteKind.CONSULTATION, Kind.FOLLOW_UP: NoteKind.FOLLOW_UP}


def patient_notes(patient: Patient, viewer: Any) -> dict[str, Any]:
    notes = list(notes_of(patient)[:NOTES_SHOWN])
    audit_list(viewer, notes, patient.pk, "chart")
    clinical = getattr(viewer, "role", None) in CLINICAL_ROLES
    prescriber = getattr(viewer, "role", None) == Role.PRESCRIBER
    url = row_url("notes:note") if clinical else None  # front desk: no link to a note
    return {
        "patient": patient,
        "notes": [(note, url(note.pk) if url else "") for note in notes],
        "new_kinds": [NoteKind.CONSULTATION, NoteKind.FOLLOW_UP] if prescriber else [],
    }


def appointment_notes(appointment: Appointment, viewer: Any) -> dict[str, Any]:
    notes: list[Note] = list(Note.objects.filter(appointment=appointment).listed())
    audit_list(viewer, notes, appointment.patient_id, "appointment")
    kind = NOTE_FOR_VISIT.get(appointment.appointment_type.kind)  # type: ignore[call-overload]
    prescriber = getattr(viewer, "role", None) == Role.PRESCRIBER
    return {
        "appointment": appointment,
        "notes": notes,
        "may_open": getattr(viewer, "role", None) in CLINICAL_ROLES,
        "new_kind": kind if prescriber and kind else None,
    }


SECTION = Section(
    anchor="notes", title="Notes", template="notes/_patient_notes.html", context=patient_notes
)
PANEL = Panel(template="notes/_appointment_notes.html", context=appointment_notes)
