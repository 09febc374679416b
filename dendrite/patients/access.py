"""The one door to patient charts: role and location checked, every read audited.

Who may do what (minimum necessary, CLINICAL.md §5.3), always only for patients whose
home location the person works at:

- front desk: demographics, contacts, providers and consents — read and write. Of the
  clinical record only whether the patient is urgent (Patient.has_open_safety_alert).
- nurses and prescribers: the whole chart, read and write.
- prescribers alone sign off the ketamine medical history and override a screening's
  triage (scheduling/gate.py).
- clinic admins: no chart at all; they may read a patient's access history, and merge
  two charts of their locations (and undo the merge for a time): they then see the two
  charts' demographics side by side, nothing clinical.

Everything else — another location's patient, a missing one, the wrong role — is a 404
from fetch_for, audited as denied with the patient's id.
"""

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from dendrite.accounts.access import fetch_for, scope_for
from dendrite.accounts.models import CLINICAL_ROLES, Role, User
from dendrite.audit.log import record
from dendrite.clinics.phones import to_e164

from . import matching
from .models import Document, Patient, PatientMerge

PATIENT_ROLES = frozenset({Role.FRONT_DESK, *CLINICAL_ROLES})
SIGN_OFF_ROLES = frozenset({Role.PRESCRIBER})
ACCESS_HISTORY_ROLES = frozenset({Role.CLINIC_ADMIN})
MERGE_ROLES = frozenset({Role.CLINIC_ADMIN})
# At most this many charts are fetched for a duplicate check, and shown.
CANDIDATES_FETCHED = 50
CANDIDATES_SHOWN = 5

# The audit trail names each kind of access: patients.patient.<action>.
ROLES_FOR = {
    "read": PATIENT_ROLES,
    "edit": PATIENT_ROLES,
    "read_clinical": CLINICAL_ROLES,
    "edit_clinical": CLINICAL_ROLES,
    "sign_off": SIGN_OFF_ROLES,
    "override_triage": SIGN_OFF_ROLES,
    "read_access_history": ACCESS_HISTORY_ROLES,
    "merge": MERGE_ROLES,
}


# What may still be done to a chart merged into another (a tombstone): read it as it is.
TOMBSTONE_ACTIONS = frozenset({"read", "read_clinical", "read_access_history"})


@functools.cache
def _patients(tombstones: bool) -> QuerySet[Patient]:
    """Built once per process (each fetch filters a copy): resolving the flags'
    subqueries anew on every chart costs more than running them."""
    patients = Patient.objects.select_related("location", "organization", "no_known_allergies_by")
    if not tombstones:  # nothing is written to a tombstone: 404
        return patients.filter(merged_into__isnull=True).with_alert_flag()
    # A read says whether charts were merged into this one (merges_into), so the chart
    # asks for the merges only when there are some.
    merged_in = PatientMerge.objects.filter(survivor=OuterRef("pk"), undone_at__isnull=True)
    return patients.with_alert_flag().annotate(merged_in_flag=Exists(merged_in))


def get_patient_for(user: User, pk: Any, action: str = "read") -> Patient:
    return fetch_for(
        user,
        _patients(action in TOMBSTONE_ACTIONS),
        pk,
        roles=ROLES_FOR[action],
        location_of=lambda patient: patient.location_id,
        action=action,
        patient_of=lambda patient: patient.pk,
    )


def patients_for(user: User) -> QuerySet[Patient]:
    """The patients of the user's locations, in name order (the view audits what it shows).
    A chart merged into another (a tombstone) is never listed."""
    patients = Patient.objects.filter(merged_into__isnull=True)
    return scope_for(user, patients.select_related("location").with_alert_flag())


def duplicate_candidates(
    user: User, person: matching.Person, *, exclude: Iterable[int] = ()
) -> list[tuple[Patient, matching.Match]]:
    """Charts at the user's locations that may be this person, most alike first.

    One query on indexed columns (the date of birth, the lower-cased e-mail, the phone,
    the name keys in either order), whatever the number of charts; the few found are
    scored by matching.py. The check is audited with the ids shown (never what was typed).
    """
    first, last = matching.name_keys(person.first_name, person.last_name) or ["", ""]
    wanted = Q(pk__in=[])
    if person.date_of_birth is not None:
        wanted |= Q(date_of_birth=person.date_of_birth)
    if person.email.strip():
        wanted |= Q(email_lower=matching.normal_email(person.email))
    phone = to_e164(person.phone) if person.phone else None
    if phone:
        wanted |= Q(phone=phone)
    if first and last:
        wanted |= Q(first_name_key=first, last_name_key=last)
        wanted |= Q(first_name_key=last, last_name_key=first)
    found = (
        patients_for(user)
        .alias(email_lower=Lower("email"))
        .filter(wanted)
        .exclude(pk__in=list(exclude))
        .order_by("pk")[:CANDIDATES_FETCHED]
    )
    pairs: list[tuple[Patient, matching.Person]] = [
        (patient, _person(patient)) for patient in found
    ]
    shown = matching.likely(person, pairs)[:CANDIDATES_SHOWN]
    detail = {"ids": [patient.pk for patient, _ in shown]}
    record("patients.patient.duplicate_check", user=user, detail=detail)
    return shown


def _person(patient: Patient) -> matching.Person:
    return matching.Person(
        patient.first_name, patient.last_name, patient.date_of_birth, patient.email,
        patient.phone,
    )  # fmt: skip


def get_merge_for(user: User, pk: Any) -> PatientMerge:
    """A merge of charts at the admin's locations (its survivor's home location)."""
    return fetch_for(
        user,
        PatientMerge.objects.select_related(
            "survivor__location", "merged__location", "merged_by", "undone_by"
        ),
        pk,
        roles=MERGE_ROLES,
        location_of=lambda merge: merge.survivor.location_id,
        patient_of=lambda merge: merge.survivor_id,
    )


def merges_into(patient: Patient) -> QuerySet[PatientMerge]:
    """The merges (not undone) that made charts into this one, newest first; none without
    a query for a patient read with get_patient_for that has none."""
    if not getattr(patient, "merged_in_flag", True):
        return PatientMerge.objects.none()
    return PatientMerge.objects.filter(survivor=patient, undone_at__isnull=True).select_related(
        "merged", "merged_by"
    )


def merged_ids(patient: Patient) -> list[int]:
    """This chart's id and those of every chart merged into it (and into those, …): whose
    audit entries are this person's. One query per generation of merges."""
    ids, frontier = [patient.pk], [patient.pk]
    while frontier:
        frontier = list(
            PatientMerge.objects.filter(
                survivor_id__in=frontier, undone_at__isnull=True
            ).values_list("merged_id", flat=True)
        )
        frontier = [pk for pk in frontier if pk not in ids]
        ids += frontier
    return ids


def find_by_mrn(user: User, mrn: str) -> Patient | None:
    """A patient of the user's locations by MRN, for the access-history lookup."""
    return patients_for(user).filter(mrn=mrn).first() if mrn else None


def get_document_for(user: User, patient_pk: Any, pk: Any) -> Document:
    """One uploaded document of one patient, for nurses and prescribers at its location."""
    return fetch_for(
        user,
        Document.objects.select_related("patient").filter(patient_id=patient_pk),
        pk,
        roles=CLINICAL_ROLES,
        location_of=lambda document: document.patient.location_id,
        action="download",
        patient_of=lambda document: document.patient_id,
    )


def audit_list(user: User, patients: Sequence[Any], search: str) -> None:
    """Who was shown on a list page (the patients or their rows: anything with a pk).
    The search kind only — never what was typed."""
    detail = {"ids": [patient.pk for patient in patients], "search": search}
    record("patients.patient.list", user=user, detail=detail)


def sees_clinical_data(user: User) -> bool:
    return user.role in CLINICAL_ROLES


def may_sign_off(user: User) -> bool:
    return user.role in SIGN_OFF_ROLES
