"""Writes to the chart. Each runs in one transaction and writes its audit entry.

The audit entries carry ids and field names only — never a name, a code or an answer.
"""

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from dendrite.accounts.models import Role, User
from dendrite.alerts.actions import add_risk, raise_alert, reasons_from
from dendrite.alerts.models import SafetyAlert
from dendrite.audit.log import record
from dendrite.clinics.models import Organization
from dendrite.instruments.scoring import ScoreResult

from . import history_items
from .models import (
    Allergy,
    Consent,
    Contact,
    Diagnosis,
    Document,
    DuplicateOverride,
    HistoryAnswer,
    HistorySignOff,
    Medication,
    MrnCounter,
    Patient,
    PatientMerge,
    Provider,
    QuestionnaireResponse,
    ResponseSource,
    TriageOverride,
)

MRN_DIGITS = 7


class Refused(Exception):
    """The action cannot be done as asked; the message says why, in words for staff."""


def allocate_mrn(organization: Organization) -> str:
    """The organisation's next medical record number: its prefix and a sequence number.

    The counter row stays locked until the transaction that uses the number ends
    (SELECT … FOR UPDATE on PostgreSQL; on SQLite every write transaction starts with
    BEGIN IMMEDIATE and so runs alone). Two registrations can therefore never draw the
    same number, and a registration that fails gives its number back. The UNIQUE
    (organization, mrn) constraint is the backstop.
    """
    with transaction.atomic():
        counter, _ = MrnCounter.objects.select_for_update().get_or_create(organization=organization)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
    return f"{organization.mrn_prefix}{counter.last_number:0{MRN_DIGITS}d}"


@transaction.atomic
def register_patient(patient: Patient, *, by: User) -> Patient:
    """A new patient at their home location, with the organisation's next MRN."""
    patient.organization = patient.location.organization
    patient.mrn = allocate_mrn(patient.organization)
    patient.full_clean()
    patient.save()
    detail = {"location": patient.location_id}
    record("patients.patient.create", user=by, obj=patient, patient_id=patient.pk, detail=detail)
    return patient


@transaction.atomic
def change_patient(
    patient: Patient, *, by: User, changed: Iterable[str], version: int | None = None
) -> Patient:
    """Demographics: a home location may only change within the same organisation, and
    only the version the form was drawn from may be changed (no lost updates)."""
    if patient.location.organization_id != patient.organization_id:
        raise Refused("A patient can only move to a location of the same organisation.")
    current = Patient.objects.select_for_update().values_list("version", "email", "phone")
    stored, email, phone = current.get(pk=patient.pk)
    if version is not None and version != stored:
        raise Refused(
            "A colleague saved this chart while you were editing it, so nothing was saved. "
            "Please reload the page to see their changes, then make yours again."
        )
    patient.version = stored + 1
    patient.full_clean()
    patient.save()
    detail = {"fields": sorted(changed)}
    record("patients.patient.change", user=by, obj=patient, patient_id=patient.pk, detail=detail)
    if (email, phone) != (patient.email, patient.phone):
        for hook in CONTACT_CHANGED:
            hook(patient, {"email": email, "phone": phone})
    return patient


# What an app above patients does, in change_patient's transaction, when staff change
# a patient's e-mail address or mobile number: scheduling tells the former ones
# (messaging.tell_former_addresses, added in its AppConfig.ready()). Each is called with
# the changed patient and the {"email", "phone"} it had before.
CONTACT_CHANGED: list[Callable[[Patient, dict[str, str]], object]] = []


def on_contact_change(hook: Callable[[Patient, dict[str, str]], object]) -> None:
    if hook not in CONTACT_CHANGED:
        CONTACT_CHANGED.append(hook)


# The chart's lists that save_entry and remove_entry keep.
type ChartEntry = Contact | Provider | Diagnosis | Medication | Allergy | Consent


@transaction.atomic
def save_entry[E: ChartEntry](entry: E, *, by: User, changed: Iterable[str] = ()) -> E:
    """Add or change one contact, provider, diagnosis, medication, allergy or consent."""
    verb = "create" if entry._state.adding else "change"
    if isinstance(entry, Diagnosis | Medication | Allergy | Consent):  # who recorded it
        entry.recorded_by = by
    entry.full_clean()
    entry.save()
    detail = {"fields": sorted(changed)} if verb == "change" else {}
    label = f"{entry._meta.label_lower}.{verb}"
    record(label, user=by, obj=entry, patient_id=entry.patient_id, detail=detail)
    return entry


@transaction.atomic
def remove_entry(entry: ChartEntry, *, by: User) -> None:
    pk, patient_id = entry.pk, entry.patient_id
    entry.delete()
    label = f"{entry._meta.label_lower}.delete"
    record(label, user=by, object_type=entry._meta.label_lower, object_id=pk, patient_id=patient_id)


@transaction.atomic
def save_allergy(allergy: Allergy, *, by: User, changed: Iterable[str] = ()) -> Allergy:
    """An allergy; recording one withdraws an earlier "no known allergies"."""
    save_entry(allergy, by=by, changed=changed)
    patient = allergy.patient
    if patient.no_known_allergies:
        patient.no_known_allergies = False
        patient.save(update_fields=["no_known_allergies", "updated_at"])
        record("patients.patient.allergies_known", user=by, obj=patient, patient_id=patient.pk)
    return allergy


@transaction.atomic
def record_no_known_allergies(patient: Patient, *, by: User) -> Patient:
    if patient.allergies.exists():
        raise Refused(
            "This patient has allergies on record. Remove them first if they were "
            "entered by mistake."
        )
    patient.no_known_allergies = True
    patient.no_known_allergies_by = by
    patient.no_known_allergies_at = timezone.now()
    patient.save(
        update_fields=[
            "no_known_allergies",
            "no_known_allergies_by",
            "no_known_allergies_at",
            "updated_at",
        ]
    )
    record("patients.patient.no_known_allergies", user=by, obj=patient, patient_id=patient.pk)
    return patient


@functools.cache
def _current_sign_offs() -> QuerySet[HistorySignOff]:
    """Built once per process (each call filters a copy): resolving the subquery of
    `current` anew on every chart costs more than running it."""
    return HistorySignOff.objects.current().select_related("signed_by")


def current_sign_off(patient: Patient) -> HistorySignOff | None:
    """The sign-off that counts (HistorySignOff.objects.current), or None."""
    return _current_sign_offs().filter(patient=patient).first()


class HistoryChange(NamedTuple):
    changed: list[str]  # item codes
    sign_off_cleared: bool


@transaction.atomic
def save_history(
    patient: Patient, answers: Mapping[str, tuple[str, str]], *, by: User
) -> HistoryChange:
    """Store the answers (item code → (answer, note)); say what changed.

    Any change clears the prescriber's sign-off: what was reviewed is no longer what
    the chart says.
    """
    _lock(patient)
    existing = {row.item: row for row in patient.history_answers.all()}
    changed = []
    for code, (answer, note) in answers.items():
        row = existing.get(code) or HistoryAnswer(patient=patient, item=code)
        if not row._state.adding and (row.answer, row.note) == (answer, note):
            continue
        row.answer, row.note, row.updated_by = answer, note, by
        row.full_clean()
        row.save()
        changed.append(code)
    if not changed:
        return HistoryChange([], sign_off_cleared=False)
    cleared = _clear_sign_off(patient, by=by)
    # How many items, not which: even an item's name says something about the patient.
    detail = {"changed": len(changed), "sign_off_cleared": cleared}
    record("patients.history.change", user=by, obj=patient, patient_id=patient.pk, detail=detail)
    return HistoryChange(changed, sign_off_cleared=cleared)


def _lock(patient: Patient) -> None:
    """Make history edits and sign-offs of one patient take turns (row lock on PostgreSQL)."""
    Patient.objects.select_for_update().only("pk").get(pk=patient.pk)


def _clear_sign_off(patient: Patient, *, by: User) -> bool:
    cleared = patient.history_sign_offs.filter(cleared_at__isnull=True).update(
        cleared_at=timezone.now(), cleared_by=by
    )
    return cleared > 0


@transaction.atomic
def sign_off_history(patient: Patient, *, by: User) -> HistorySignOff:
    """A prescriber's review of the whole history, every item answered."""
    if by.role != Role.PRESCRIBER:
        raise PermissionDenied
    _lock(patient)
    answered = set(patient.history_answers.values_list("item", flat=True))
    if any(item.code not in answered for item in history_items.ITEMS):
        raise Refused("Every item of the history needs an answer before it can be signed off.")
    if current_sign_off(patient) is not None:
        raise Refused("The history is already signed off.")
    # One that no longer counts (an older list of items, or answers changed since) gives way.
    _clear_sign_off(patient, by=by)
    sign_off = HistorySignOff.objects.create(
        patient=patient,
        signed_by=by,
        signed_at=timezone.now(),
        items_version=history_items.VERSION,
    )
    record("patients.history.sign_off", user=by, obj=sign_off, patient_id=patient.pk)
    return sign_off


@transaction.atomic
def override_triage(patient: Patient, *, reason: str, by: User) -> TriageOverride:
    """A prescriber's decision that infusions may be booked although the self-screening's
    triage said "not suitable for ketamine now". It covers the triage made before it."""
    if by.role != Role.PRESCRIBER:
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise Refused("Please give the reason for the override.")
    _lock(patient)
    override = TriageOverride(
        patient=patient, outcome=TriageOverride.Outcome.NOT_SUITABLE_NOW, reason=reason, by=by
    )
    override.full_clean()
    override.save()
    # Ids only: neither the outcome nor the reason goes into the audit trail.
    record("patients.triageoverride.create", user=by, obj=override, patient_id=patient.pk)
    return override


@transaction.atomic
def add_document(document: Document, *, by: User) -> Document:
    """Store an upload (already checked by DocumentForm) under a random name, and audit it."""
    digest = hashlib.sha256()
    for chunk in document.file.chunks():
        digest.update(chunk)
    document.sha256 = digest.hexdigest()
    document.uploaded_by = by
    document.full_clean(exclude=["file"])
    document.save()
    detail = {"content_type": document.content_type, "size": document.size}
    record(
        "patients.document.create",
        user=by,
        obj=document,
        patient_id=document.patient_id,
        detail=detail,
    )
    return document


@transaction.atomic
def record_questionnaire_response(
    patient: Patient,
    result: ScoreResult,
    answers: Any,
    *,
    source: str,
    authored_at: dt.datetime,
    by: User | None = None,
    alert: SafetyAlert | None = None,
) -> QuestionnaireResponse:
    """Keep a scored questionnaire with the chart (from the screening, the portal or the clinic).
    With `alert` (raised already by the same questionnaire's answers as they came), its
    flags are added to that alert instead of raising a second one."""
    response = QuestionnaireResponse(
        patient=patient,
        instrument=result.instrument,
        version=result.version,
        answers=answers,
        total=result.total,
        band=result.band,
        flags=list(result.flags),
        authored_at=authored_at,
        source=source,
    )
    response.full_clean()
    response.save()
    # Not the instrument: that a patient took the DAST-10 is itself health information.
    detail = {"source": source}
    label = "patients.questionnaireresponse.create"
    record(label, user=by, obj=response, patient_id=patient.pk, detail=detail)
    if result.flags and alert is not None:
        add_risk(
            alert, flags=list(result.flags), reasons=reasons_from({result.instrument: answers})
        )
    elif result.flags and source != ResponseSource.SCREENING:
        # Any stored result with a safety flag raises an alert at the patient's location.
        # (A screening's flags raised theirs on the lead, which moves with the patient.)
        raise_alert(
            location=patient.location,
            flags=list(result.flags),
            source=f"{source}:{result.instrument}",
            reasons=reasons_from({result.instrument: answers}),
            patient=patient,
        )
    return response


@transaction.atomic
def record_duplicate_override(
    patient: Patient, *, candidates: Iterable[int], reason: str, by: User, token: str = ""
) -> DuplicateOverride:
    """Staff made `patient` although these charts were shown as likely the same person."""
    override = DuplicateOverride(
        patient=patient, candidates=sorted(candidates), reason=reason.strip(), by=by,
        token=token or None,
    )  # fmt: skip
    override.full_clean(validate_unique=False)  # the constraint decides, in the database
    override.save()
    # Ids only: the reason is kept on its row, never in the audit trail.
    detail = {"candidates": override.candidates}
    record("patients.patient.create_despite_duplicates", user=by, obj=override,
           patient_id=patient.pk, detail=detail)  # fmt: skip
    return override


@transaction.atomic
def register_patient_anyway(
    patient: Patient, *, candidates: Iterable[int], reason: str, by: User, token: str = ""
) -> Patient:
    """A new patient although charts that look like them were shown, with staff's reason.
    The same form token twice (a double click) fails on its unique constraint."""
    register_patient(patient, by=by)
    record_duplicate_override(patient, candidates=candidates, reason=reason, by=by, token=token)
    return patient


@transaction.atomic
def carry_consents(
    patient: Patient, given: Mapping[str, dt.date], *, source: str, by: User
) -> list[Consent]:
    """Consents given elsewhere (kind → the day given) become the chart's consent records,
    unless the chart already has a record of that kind from the same day or later (a
    withdrawal made in the clinic is never overturned by an older web form)."""
    latest: dict[str, dt.date] = {}
    for kind, day in patient.consents.filter(kind__in=list(given)).values_list("kind", "date"):
        latest[kind] = max(day, latest.get(kind, day))
    added = []
    for kind, day in given.items():
        if kind in latest and latest[kind] >= day:
            continue
        consent = Consent(
            patient=patient, kind=kind, status=Consent.Status.GIVEN, date=day, source=source,
            recorded_by=by,
        )  # fmt: skip
        consent.full_clean()
        consent.save()
        record("patients.consent.create", user=by, obj=consent, patient_id=patient.pk,
               detail={"carried": True})  # fmt: skip
        added.append(consent)
    return added


# Merging two charts. Everything that points at the merged chart is found from
# Patient's reverse relations (patients may not import the apps above it), so a new
# model with a patient field is merged without a change here.

DEMOGRAPHICS = (
    "first_name", "last_name", "preferred_name", "date_of_birth", "sex", "pronouns",
    "email", "phone", "street", "city", "state", "postal_code",
)  # fmt: skip
NOT_MOVED = {"patients.patientmerge", "patients.patient"}


def _relations() -> list[tuple[type[models.Model], str]]:
    """(model, field name) of every foreign key to Patient, outside the merge's own records."""
    # Patient._meta.related_objects leaves out the hidden ones (related_name="+": the
    # worklist's tasks, the ketamine log, …), so the reverse fields are read with them.
    found = []
    for relation in Patient._meta.get_fields(include_hidden=True):
        if not isinstance(relation, models.ForeignObjectRel) or relation.many_to_many:
            continue
        model = relation.related_model
        if model._meta.label_lower in NOT_MOVED:
            continue
        found.append((model, relation.field.name))
    return sorted(found, key=lambda pair: (pair[0]._meta.label_lower, pair[1]))


def _move(model: type[models.Model], field: str, pks: list[Any], to: Patient) -> list[Any]:
    """Point these rows at `to`; return those that moved. A row the database refuses to
    change (a signed note, the ketamine log: triggers) or that would be a second of what
    `to` may have only one of (a unique constraint) stays where it is."""
    rows = model._base_manager.filter(pk__in=pks)
    try:
        with transaction.atomic():
            rows.update(**{field: to})
        return pks
    except DatabaseError:
        pass
    moved = []
    for pk in pks:
        try:
            with transaction.atomic():
                model._base_manager.filter(pk=pk).update(**{field: to})
            moved.append(pk)
        except DatabaseError:
            continue
    return moved


def _demographics(patient: Patient) -> dict[str, Any]:
    values = {name: getattr(patient, name) for name in DEMOGRAPHICS}
    values["date_of_birth"] = values["date_of_birth"].isoformat()
    return values


def _apply_demographics(patient: Patient, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        if name == "date_of_birth" and isinstance(value, str):
            value = dt.date.fromisoformat(value)
        setattr(patient, name, value)


def _locked_pair(survivor: Patient, merged: Patient) -> tuple[Patient, Patient]:
    locked = Patient.objects.select_for_update().in_bulk([survivor.pk, merged.pk])
    return locked[survivor.pk], locked[merged.pk]


@transaction.atomic
def merge_patients(
    survivor: Patient, merged: Patient, *, take: Iterable[str] = (), by: User
) -> PatientMerge:
    """Merge `merged` into `survivor`: every row pointing at `merged` moves (as far as the
    database allows), `survivor` takes the demographics named in `take` from `merged`,
    and `merged` becomes a tombstone. Recorded in a PatientMerge, so undo_merge can put
    back exactly what moved. One transaction: all of it or nothing."""
    if by.role != Role.CLINIC_ADMIN:
        raise PermissionDenied
    survivor, merged = _locked_pair(survivor, merged)
    if survivor.pk == merged.pk:
        raise Refused("Please choose two different charts.")
    if survivor.merged_into_id or merged.merged_into_id:
        raise Refused("One of these charts was already merged into another. Nothing was changed.")
    if survivor.organization_id != merged.organization_id:
        raise Refused("Only charts of the same organisation can be merged.")
    moved: dict[str, list[Any]] = {}
    kept: dict[str, list[Any]] = {}
    for model, field in _relations():
        key = f"{model._meta.label_lower}.{field}"
        pks = list(model._base_manager.filter(**{field: merged}).values_list("pk", flat=True))
        if not pks:
            continue
        done = _move(model, field, pks, survivor)
        if done:
            moved[key] = sorted(done)
        left = sorted(set(pks) - set(done))
        if left:
            kept[key] = left
    previous = _demographics(survivor)
    taken = [name for name in DEMOGRAPHICS if name in set(take)]
    _apply_demographics(survivor, {name: getattr(merged, name) for name in taken})
    survivor.version += 1
    survivor.full_clean()
    survivor.save()
    chosen = _demographics(survivor)
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into", "updated_at"])
    merge = PatientMerge.objects.create(
        organization_id=survivor.organization_id, survivor=survivor, merged=merged,
        moved=moved, kept=kept, previous=previous, chosen=chosen, merged_by=by,
        merged_at=timezone.now(),
    )  # fmt: skip
    counts = {key: len(pks) for key, pks in moved.items()}
    detail = {"survivor": survivor.pk, "merged": merged.pk, "moved": counts,
              "kept": {key: len(pks) for key, pks in kept.items()}, "taken": taken}  # fmt: skip
    record("patients.patient.merge", user=by, obj=merge, patient_id=survivor.pk, detail=detail)
    record("patients.patient.merged_away", user=by, obj=merge, patient_id=merged.pk, detail=detail)
    return merge


def undo_deadline(merge: PatientMerge) -> dt.datetime:
    return merge.merged_at + dt.timedelta(days=settings.PATIENT_MERGE_UNDO_DAYS)


def may_undo(merge: PatientMerge) -> bool:
    return merge.undone_at is None and timezone.now() < undo_deadline(merge)


@transaction.atomic
def undo_merge(merge: PatientMerge, *, by: User) -> PatientMerge:
    """Put back exactly the rows the merge moved, the survivor's demographics it changed
    (those not changed again since), and the merged chart as it was."""
    if by.role != Role.CLINIC_ADMIN:
        raise PermissionDenied
    merge = PatientMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise Refused("This merge was already undone.")
    if not may_undo(merge):
        days = settings.PATIENT_MERGE_UNDO_DAYS
        raise Refused(f"A merge can be undone for {days} days only; this one is older.")
    survivor, merged = _locked_pair(merge.survivor, merge.merged)
    if survivor.merged_into_id:
        raise Refused("The surviving chart was merged into another since. Undo that merge first.")
    relations = {
        f"{model._meta.label_lower}.{field}": (model, field) for model, field in _relations()
    }
    for key, pks in merge.moved.items():
        model, field = relations[key]
        rows = model._base_manager.filter(pk__in=pks, **{field: survivor})
        back = list(rows.values_list("pk", flat=True))
        done = _move(model, field, back, merged)
        if len(done) != len(pks):
            raise Refused(
                "Some records that the merge moved can no longer be moved back "
                "(they were changed or signed since). Nothing was changed."
            )
    restore = {
        name: value for name, value in merge.previous.items()
        if _demographics(survivor).get(name) == merge.chosen.get(name)
    }  # fmt: skip
    _apply_demographics(survivor, restore)
    survivor.version += 1
    survivor.full_clean()
    survivor.save()
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at"])
    merge.undone_at, merge.undone_by = timezone.now(), by
    merge.save(update_fields=["undone_at", "undone_by"])
    detail = {"survivor": survivor.pk, "merged": merged.pk}
    record("patients.patient.merge_undone", user=by, obj=merge, patient_id=survivor.pk,
           detail=detail)  # fmt: skip
    record("patients.patient.merge_undone", user=by, obj=merge, patient_id=merged.pk,
           detail=detail)  # fmt: skip
    return merge
