"""Measurement-based care in the demo: the organisation's plan, diagnoses for the demo
patients, and pre-visit questionnaires over time so the chart's trends show something
(synthetic data only). At each location the first patient's PHQ-9 falls over an induction
series; the second's falls, then rises again later. Links are never printed: the sweep
sends them to the demo patients' example.com addresses like any other."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dendrite.accounts.models import Role, User
from dendrite.clinics.models import Location, Organization
from dendrite.instruments import scoring
from dendrite.outcomes import plans, sweep
from dendrite.patients.models import Diagnosis, Patient, QuestionnaireResponse, ResponseSource

# (weeks ago, PHQ-9 total): falling over an induction series, then holding.
FALLING = [(8, 19), (7, 16), (7, 13), (6, 10), (6, 8), (5, 6), (2, 4)]
# Falling at first, then rising again months later (a booster may be due).
RISING = [(20, 17), (19, 12), (18, 8), (16, 6), (8, 7), (4, 11), (1, 14)]


def _answers(total: int) -> dict[str, int]:
    """PHQ-9 answers adding up to `total`, item 9 always "not at all"."""
    answers = {str(n): 0 for n in range(1, 10)}
    left = total
    for n in range(1, 9):
        answers[str(n)] = min(3, left)
        left -= answers[str(n)]
    return answers


def _store(patient: Patient, code: str, answers: dict[str, object], at: dt.datetime) -> None:
    result = scoring.score(code, answers, sex="female")
    QuestionnaireResponse.objects.create(
        patient=patient, instrument=code, version=result.version, answers=answers,
        total=result.total, band=result.band, flags=list(result.flags), authored_at=at,
        source=ResponseSource.PRE_VISIT,
    )  # fmt: skip


def _history(patient: Patient, course: list[tuple[int, int]], now: dt.datetime) -> None:
    calm = {"1": False, "2": False, "6": False}
    for index, (weeks, total) in enumerate(course):
        at = now - dt.timedelta(weeks=weeks, days=-index % 3, hours=2)
        _store(patient, "phq-9", _answers(total), at)
        _store(patient, "c-ssrs-screener", calm, at)


@transaction.atomic
def load_measurement() -> None:
    now = timezone.now()
    for organization in Organization.objects.all():
        plans.plan_for(organization)
    for location in Location.objects.filter(is_active=True):
        prescriber = User.objects.filter(locations=location, role=Role.PRESCRIBER).first()
        patients = list(Patient.objects.filter(location=location).order_by("pk")[:2])
        if prescriber is None or len(patients) < 2:
            continue
        if QuestionnaireResponse.objects.filter(patient__in=patients).exists():
            continue
        first, second = patients
        diagnoses = [
            (first, "F33.1", "Major depressive disorder, recurrent, moderate"),
            (second, "F32.1", "Major depressive disorder, single episode, moderate"),
            (second, "F10.20", "Alcohol dependence, uncomplicated"),
        ]
        for patient, code, description in diagnoses:
            Diagnosis.objects.create(
                patient=patient, code=code, description=description, recorded_by=prescriber
            )
        _history(first, FALLING, now)
        _history(second, RISING, now)
    sweep.send_due(now)  # the links due for tomorrow's visits, as cron would send them
