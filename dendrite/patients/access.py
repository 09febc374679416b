"""The one door to patient charts: role and location checked, every read audited.

Who may do what (minimum necessary, CLINICAL.md §5.3), always only for patients whose
home location the person works at:

- front desk: demographics, contacts, providers and consents — read and write. Of the
  clinical record only whether the patient is urgent (Patient.has_open_safety_alert).
- nurses and prescribers: the whole chart, read and write.
- prescribers alone sign off the ketamine medical history and override a screening's
  triage (scheduling/gate.py).
- clinic admins: no chart at all; they may read a patient's access history.

Everything else — another location's patient, a missing one, the wrong role — is a 404
from fetch_for, audited as denied with the patient's id.
"""

from typing import Any

from django.db.models import QuerySet

from dendrite.accounts.access import fetch_for, scope_for
from dendrite.accounts.models import CLINICAL_ROLES, Role, User
from dendrite.audit.log import record

from .models import Document, Patient

PATIENT_ROLES = frozenset({Role.FRONT_DESK, *CLINICAL_ROLES})
SIGN_OFF_ROLES = frozenset({Role.PRESCRIBER})
ACCESS_HISTORY_ROLES = frozenset({Role.CLINIC_ADMIN})

# The audit trail names each kind of access: patients.patient.<action>.
ROLES_FOR = {
    "read": PATIENT_ROLES,
    "edit": PATIENT_ROLES,
    "read_clinical": CLINICAL_ROLES,
    "edit_clinical": CLINICAL_ROLES,
    "sign_off": SIGN_OFF_ROLES,
    "override_triage": SIGN_OFF_ROLES,
    "read_access_history": ACCESS_HISTORY_ROLES,
}


def get_patient_for(user: User, pk: Any, action: str = "read") -> Patient:
    return fetch_for(
        user,
        Patient.objects.select_related(
            "location", "organization", "no_known_allergies_by"
        ).with_alert_flag(),
        pk,
        roles=ROLES_FOR[action],
        location_of=lambda patient: patient.location_id,
        action=action,
        patient_of=lambda patient: patient.pk,
    )


def patients_for(user: User) -> QuerySet[Patient]:
    """The patients of the user's locations, in name order (the view audits what it shows)."""
    return scope_for(user, Patient.objects.select_related("location").with_alert_flag())


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


def audit_list(user: User, patients: list[Patient], search: str) -> None:
    """Who was shown on a list page. The search kind only — never what was typed."""
    detail = {"ids": [patient.pk for patient in patients], "search": search}
    record("patients.patient.list", user=user, detail=detail)


def sees_clinical_data(user: User) -> bool:
    return user.role in CLINICAL_ROLES


def may_sign_off(user: User) -> bool:
    return user.role in SIGN_OFF_ROLES
