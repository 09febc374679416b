"""Who may read and write clinical notes (the door, as infusions/access.py is for the
chairside record). Always only at the locations the person works at:

- nurses and prescribers: read every note and add addenda to signed ones.
- prescribers: write and sign consultation and follow-up notes; co-sign infusion notes.
- nurses: write and sign infusion notes (the prescriber co-signs).
- front desk: see that a note exists (its kind, date, author and status, on the chart
  and the appointment page), never what it says: the note's page is a 404 for them.
- clinic admins and prescribers: edit the clinic's note templates (not patient data).

Anything else is a 404 from fetch_for, audited as denied. The actions check the
author and the role again.
"""

import functools
from typing import Any

from django.db.models import Count, QuerySet

from dendrite.accounts.access import fetch_for
from dendrite.accounts.models import CLINICAL_ROLES, Role, User
from dendrite.audit.log import record
from dendrite.clinics.models import Location, Organization
from dendrite.patients.access import get_patient_for
from dendrite.patients.models import Patient
from dendrite.scheduling.access import get_appointment_for
from dendrite.scheduling.models import Appointment

from .models import Note, NoteKind, NoteTemplate

READ_ROLES = CLINICAL_ROLES
WRITE_ROLES = {
    NoteKind.CONSULTATION: frozenset({Role.PRESCRIBER}),
    NoteKind.FOLLOW_UP: frozenset({Role.PRESCRIBER}),
    NoteKind.INFUSION: frozenset({Role.NURSE}),
}
COSIGN_ROLES = frozenset({Role.PRESCRIBER})
TEMPLATE_ROLES = frozenset({Role.PRESCRIBER, Role.CLINIC_ADMIN})


def may_write(user: User, kind: str) -> bool:
    return user.role in WRITE_ROLES.get(kind, frozenset())  # type: ignore[call-overload]


def get_note_for(user: User, pk: Any, action: str = "read") -> Note:
    """A note with what its page shows (addenda with their authors)."""
    return fetch_for(
        user,
        Note.objects.select_related(
            "patient", "patient__location", "location", "author", "signed_by", "cosigned_by",
            "template", "appointment", "appointment__appointment_type",
        ).prefetch_related("addenda__author"),
        pk,
        roles=READ_ROLES,
        location_of=lambda note: note.location_id,
        action=action,
        patient_of=lambda note: note.patient_id,
    )  # fmt: skip


def get_note_patient_for(user: User, pk: Any) -> Patient:
    """The patient a new note is written for (nurses and prescribers, their locations)."""
    return get_patient_for(user, pk, "edit_clinical")


def get_note_appointment_for(user: User, pk: Any) -> Appointment:
    return get_appointment_for(user, pk, "write_note")


# What the chart's list shows of a note (Django's work grows with every column read).
CHART_COLUMNS = (
    "kind", "status", "created_at", "author__first_name", "author__last_name",
    "author__username",
)  # fmt: skip


@functools.cache
def _chart_notes() -> QuerySet[Note]:
    """Built once per process (each chart filters a copy): resolving the count of addenda
    anew every time costs more than running it."""
    notes = Note.objects.select_related("author").only(*CHART_COLUMNS)
    return notes.annotate(addenda_count=Count("addenda")).order_by("-created_at", "-id")


def notes_of(patient: Patient) -> QuerySet[Note]:
    """A patient's notes, newest first, with the author's name and the number of addenda
    (the chart section audits what it shows)."""
    return _chart_notes().filter(patient=patient)


def audit_list(user: Any, notes: list[Note], patient_id: Any, screen: str) -> None:
    if notes:
        record("notes.note.list", user=user, object_type="note", patient_id=patient_id,
               detail={"ids": [note.pk for note in notes], "screen": screen})  # fmt: skip


def organization_of(user: User) -> Organization | None:
    """The organisation whose templates the user edits: that of their locations."""
    location = Location.objects.filter(pk__in=user.location_ids).select_related("organization")
    first = location.order_by("pk").first()
    return first.organization if first else None


def templates_of(organization: Organization) -> QuerySet[NoteTemplate]:
    return NoteTemplate.objects.filter(organization=organization, is_current=True)
