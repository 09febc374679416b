"""A patient's record as one FHIR Bundle, for a download the patient asks for (the
portal will call this) or a hand-over. Everything of the patient that the API serves,
audited once."""

from typing import Any

from django.utils import timezone

from dendrite.accounts.models import User
from dendrite.patients.models import Patient

from . import access

EVERYTHING = "system/*.rs"


def patient_everything(patient: Patient, *, by: str, user: User | None = None) -> dict[str, Any]:
    """A `collection` Bundle: the Patient, then each type's resources of this patient.
    `by` names who asked, for the audit trail (a staff member's or the patient's way in)."""
    reader = access.Reader(by, frozenset({patient.location_id}), EVERYTHING, user=user)
    resources: list[dict[str, Any]] = []
    for kind in access.KINDS.values():
        if kind.name not in access.PATIENT_DATA:
            continue
        for source in kind.sources:
            rows = source.rows(reader.location_ids)
            rows = (
                rows.filter(pk=patient.pk)
                if kind.name == "Patient"
                else (source.filters["patient"](rows, [str(patient.pk)]))
            )
            for row in rows.iterator(chunk_size=500) if not _prefetches(rows) else rows:
                served = access.serve(source, row, reader)
                if served is not None:
                    resources.append(served)
    access.audit(reader, "fhir.patient.everything", object_id=str(patient.pk),
                 patient_id=patient.pk)  # fmt: skip
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "entry": [{"resource": r} for r in resources],
    }


def _prefetches(rows: Any) -> bool:
    return bool(getattr(rows, "_prefetch_related_lookups", ()))
