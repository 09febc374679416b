"""The notes cast, on top of the shared one (dendrite/conftest.py).

Time stands still on Monday 7 December 2026 at 09:00 in Boston (14:00 UTC). Alice has a
consultation at 09:00 with `prescriber`; her history has two "yes" answers (high blood
pressure, glaucoma) and is signed off, her latest C-SSRS screener is low risk, she takes
sertraline and is allergic to penicillin. Charlie belongs to West Hartford.
"""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from dendrite.patients import history_items
from dendrite.patients.models import (
    Allergy,
    HistoryAnswer,
    HistorySignOff,
    Medication,
    QuestionnaireResponse,
)
from dendrite.scheduling.models import Kind
from dendrite.scheduling.tests.conftest import make_appointment

from .. import actions

NOW = dt.datetime(2026, 12, 7, 14, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


def chart(patient: Any, by: Any) -> None:
    yes = {"hypertension": "On amlodipine, 132/84 today", "glaucoma": ""}
    for item in history_items.ITEMS:
        answer = "yes" if item.code in yes else "no"
        HistoryAnswer.objects.create(patient=patient, item=item.code, answer=answer,
                                     note=yes.get(item.code, ""), updated_by=by)  # fmt: skip
    HistorySignOff.objects.create(patient=patient, signed_by=by, signed_at=timezone.now(),
                                  items_version=history_items.VERSION)  # fmt: skip
    QuestionnaireResponse.objects.create(
        patient=patient, instrument="c-ssrs-screener", version="1", band="low",
        answers={"1": True, "2": False}, flags=["suicide-risk"],
        authored_at=NOW - dt.timedelta(days=3), source="screening",
    )  # fmt: skip
    Medication.objects.create(patient=patient, name="Sertraline", dose="100 mg",
                              frequency="once a day", recorded_by=by)  # fmt: skip
    Allergy.objects.create(patient=patient, substance="Penicillin", reaction="Rash",
                           severity="mild", recorded_by=by)  # fmt: skip


@pytest.fixture
def charted(alice, prescriber):
    chart(alice, prescriber)
    return alice


@pytest.fixture
def consult(charted, prescriber):
    return make_appointment(charted, Kind.CONSULTATION, NOW, prescriber)


def written(note: Any, text: str = "Written.") -> list[str]:
    return [section["text"] or text for section in note.sections]


@pytest.fixture
def draft(consult, prescriber):
    return actions.start_note(consult.patient, "consultation", by=prescriber, appointment=consult)


@pytest.fixture
def signed(draft, prescriber):
    return actions.sign(draft, written(draft), by=prescriber)


def form_data(note_or_sections: Any, text: str = "Written.", **extra: str) -> dict[str, str]:
    sections = getattr(note_or_sections, "sections", note_or_sections)
    data = {f"section_{i}": s["text"] or text for i, s in enumerate(sections)}
    return data | extra
