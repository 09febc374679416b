"""Helpers for the chart's tests. The cast (front desk, nurses, prescribers, clinic admin;
Alice and Bob at Boston, Charlie at West Hartford) is in dendrite/conftest.py."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils import timezone

from dendrite.audit.models import AuditEvent
from dendrite.instruments.scoring import score
from dendrite.patients import actions
from dendrite.patients.models import (
    Allergy,
    Contact,
    Diagnosis,
    Document,
    Medication,
    Patient,
    QuestionnaireResponse,
)

# The smallest files each accepted format starts with, and one that is none of them.
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56  # a Windows program


@pytest.fixture(autouse=True)
def documents_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Uploaded files go to a temporary folder, never the checkout's var/documents."""
    folder = tmp_path / "documents"
    storage = FileSystemStorage(location=folder, base_url=None)
    monkeypatch.setattr(Document._meta.get_field("file"), "storage", storage)
    return folder


def url(name: str, patient: Patient, *args: object) -> str:
    return reverse(f"patients:{name}", args=[patient.pk, *args])


def audited(action: str, **filters: object) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **filters))


def add_diagnosis(patient: Patient, by, code: str = "F33.1") -> Diagnosis:
    return Diagnosis.objects.create(
        patient=patient, code=code, description="Major depressive disorder", recorded_by=by
    )


def add_medication(patient: Patient, by, name: str = "Sertraline") -> Medication:
    return Medication.objects.create(
        patient=patient, name=name, dose="100 mg", frequency="once a day", recorded_by=by
    )


def add_allergy(patient: Patient, by, substance: str = "Penicillin") -> Allergy:
    return Allergy.objects.create(
        patient=patient, substance=substance, reaction="rash", severity="mild", recorded_by=by
    )


def add_contact(patient: Patient, kind: str = "escort", name: str = "Ada Escort") -> Contact:
    return Contact.objects.create(patient=patient, kind=kind, name=name, phone="+16175550199")


def add_response(
    patient: Patient,
    answers: list[int],
    when: dt.datetime | None = None,
    code: str = "phq-9",
    **options: str,
) -> QuestionnaireResponse:
    return actions.record_questionnaire_response(
        patient,
        score(code, answers, **options),
        answers,
        source="clinic",
        authored_at=when or timezone.now(),
    )
