"""Every write of a clinical note: start (prefilled from the template and the chart),
save a draft, sign (the view has checked the signer's own code), co-sign, add an
addendum, and save a new version of a template. Each runs in one transaction on the
note's locked row and writes its audit entry. A refusal (Refused) says why in words and
names the form field it belongs to when there is one; nothing is half-saved.
"""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from dendrite.accounts.models import Role, User
from dendrite.audit.log import record
from dendrite.clinics.models import Organization
from dendrite.patients.models import Patient
from dendrite.scheduling.models import Appointment

from . import prefill, sources
from .access import COSIGN_ROLES, may_write
from .defaults import DEFAULTS
from .models import Addendum, Note, NoteKind, NoteStatus, NoteTemplate


class Refused(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


LOCKED = "This note is signed, so it cannot be changed. Add an addendum below it instead."


def _audit(label: str, note: Note, by: User, **detail: Any) -> None:
    record(f"notes.{label}", user=by, obj=note, patient_id=note.patient_id, detail=detail or None)


def _locked(note: Note) -> Note:
    return Note.objects.select_for_update().get(pk=note.pk)


# Templates.


def current_template(organization: Organization, kind: str) -> NoteTemplate:
    """The template in use for a kind; the clinic's starting one (version 1) if it has
    never edited it."""
    found = NoteTemplate.objects.filter(organization=organization, kind=kind, is_current=True)
    template = found.first()
    if template is None:
        with transaction.atomic():
            template, _ = NoteTemplate.objects.get_or_create(
                organization=organization, kind=kind, version=1,
                defaults={"sections": DEFAULTS[kind], "is_current": True},
            )  # fmt: skip
    return template


@transaction.atomic
def save_template(
    organization: Organization, kind: str, sections: Sequence[dict[str, Any]], *, by: User
) -> NoteTemplate:
    """Write the next version of a template; notes written from earlier versions keep
    theirs (a note copies its sections when it is started)."""
    if by.role not in (Role.PRESCRIBER, Role.CLINIC_ADMIN):
        raise Refused("Only a prescriber or a clinic admin edits note templates.")
    if not sections:
        raise Refused("A template needs at least one section.")
    current = current_template(organization, kind)
    current = NoteTemplate.objects.select_for_update().get(pk=current.pk)
    NoteTemplate.objects.filter(pk=current.pk).update(is_current=False)
    template = NoteTemplate.objects.create(
        organization=organization, kind=kind, version=current.version + 1,
        sections=[dict(section) for section in sections], is_current=True, created_by=by,
    )  # fmt: skip
    record("notes.template.save", user=by, obj=template,
           detail={"kind": kind, "version": template.version})  # fmt: skip
    return template


# Notes.


def _sections_from(template: NoteTemplate, patient: Patient) -> list[dict[str, Any]]:
    sections = []
    for section in template.sections:
        filled = prefill.text_for(section.get("fill", ""), patient)
        text = "\n\n".join(part for part in (section.get("text", ""), filled) if part)
        required = bool(section.get("required", True))
        sections.append({"heading": section["heading"], "prompt": section.get("prompt", ""),
                         "text": text, "required": required})  # fmt: skip
    return sections


def draft_sections(patient: Patient, kind: str) -> tuple[NoteTemplate, list[dict[str, Any]]]:
    """The sections a new note starts with: the template's, filled in from the chart."""
    template = current_template(patient.location.organization, kind)
    return template, _sections_from(template, patient)


def _check_sections(note: Note, texts: Sequence[str], *, signing: bool) -> None:
    if len(texts) != len(note.sections):
        raise Refused("The note's sections changed while you were writing. Please try again.")
    if signing:
        for index, (section, text) in enumerate(zip(note.sections, texts, strict=True)):
            if section.get("required") and not text.strip():
                heading = section["heading"]
                raise Refused(f"Please write the “{heading}” section before signing.",
                              f"section_{index}")  # fmt: skip


def _fill(note: Note, texts: Sequence[str]) -> None:
    note.sections = [
        {**section, "text": text.strip()}
        for section, text in zip(note.sections, texts, strict=True)
    ]


@transaction.atomic
def start_note(
    patient: Patient, kind: str, *, by: User, texts: Sequence[str] | None = None,
    appointment: Appointment | None = None,
) -> Note:  # fmt: skip
    """A new draft, from the current template filled in from the chart, and, for an
    infusion note, the record as it stands now. `texts` are the sections as written on
    the new note's page (None: as prefilled)."""
    if not may_write(by, kind):
        raise Refused(f"Your role does not write the {NoteKind(kind).label.lower()}.")
    if appointment is not None and appointment.patient_id != patient.pk:
        raise Refused("That appointment is another patient's.")
    template, sections = draft_sections(patient, kind)
    note = Note(
        patient=patient, location=appointment.location if appointment else patient.location,
        appointment=appointment, kind=kind, template=template, sections=sections, author=by,
    )  # fmt: skip
    if texts is not None:
        _check_sections(note, texts, signing=False)
        _fill(note, texts)
    note.record = sources.record_for(note) or {}
    note.save()
    _audit("note.start", note, by, kind=kind, template_version=template.version)
    return note


def draft_for(appointment: Appointment, kind: str, by: User) -> Note | None:
    """The author's own draft of this kind for the visit, to open again rather than
    start a second one."""
    drafts = Note.objects.filter(appointment=appointment, kind=kind, author=by)
    return drafts.filter(status=NoteStatus.DRAFT).first()


@transaction.atomic
def save_draft(note: Note, texts: Sequence[str], *, by: User) -> Note:
    note = _locked(note)
    if note.is_locked:
        raise Refused(LOCKED)
    if note.author_id != by.pk:
        raise Refused("Only the note's author changes its draft.")
    _check_sections(note, texts, signing=False)
    _fill(note, texts)
    note.save()
    _audit("note.save", note, by)
    return note


@transaction.atomic
def sign(note: Note, texts: Sequence[str], *, by: User) -> Note:
    """Sign the note as written (the view has checked the signer's own code). The record
    it is built from is copied in once more, and from now on nothing of it changes."""
    note = _locked(note)
    if note.is_locked:
        raise Refused(LOCKED)
    if note.author_id != by.pk or not may_write(by, note.kind):
        raise Refused("Only the note's author signs it.")
    _check_sections(note, texts, signing=True)
    _fill(note, texts)
    note.record = sources.record_for(note) or note.record
    note.status, note.signed_by, note.signed_at = NoteStatus.SIGNED, by, timezone.now()
    note.save()
    _audit("note.sign", note, by)
    return note


@transaction.atomic
def cosign(note: Note, *, by: User) -> Note:
    """A prescriber's co-signature (the view has checked their own code)."""
    note = _locked(note)
    if not note.needs_cosign:
        raise Refused("This kind of note needs no co-signature.")
    if note.status != NoteStatus.SIGNED:
        raise Refused(
            "The author signs the note first." if note.status == NoteStatus.DRAFT
            else "This note is already co-signed."
        )  # fmt: skip
    if by.role not in COSIGN_ROLES:
        raise Refused("Only a prescriber co-signs this note.")
    if by.pk == note.author_id:
        raise Refused("A second person co-signs a note, not its author.")
    note.status, note.cosigned_by, note.cosigned_at = NoteStatus.COSIGNED, by, timezone.now()
    note.save(update_fields=["status", "cosigned_by", "cosigned_at", "updated_at"])
    _audit("note.cosign", note, by)
    return note


@transaction.atomic
def add_addendum(note: Note, *, by: User, reason: str, text: str) -> Addendum:
    """A correction or addition beneath a signed note; the note itself stays as signed."""
    note = _locked(note)
    if not note.is_locked:
        raise Refused("A draft is changed directly; addenda are for signed notes.")
    if by.role not in (Role.NURSE, Role.PRESCRIBER):
        raise Refused("Only a nurse or a prescriber adds to a note.")
    if not reason.strip():
        raise Refused("Please say why you are adding to the note.", "reason")
    if not text.strip():
        raise Refused("Please write the addendum.", "text")
    addendum = Addendum.objects.create(
        note=note, author=by, at=timezone.now(), reason=reason.strip(), text=text.strip()
    )
    _audit("note.addendum", note, by, addendum=addendum.pk)
    return addendum
