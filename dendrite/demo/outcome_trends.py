"""Outcome trends for the demo charts (synthetic people only, for `load_demo`).

At each location the first demo patient answered PHQ-9 and GAD-7 before an induction
series of six infusions ten weeks ago and reached remission; the second responded, then
PHQ-9 rose on two check-ins in a row, which opens a "Review for a booster" task for the
prescribers (outcomes/booster.py). Past infusions are visits for an infusion marked done,
written straight to the table (the chairside records of the demo are in infusions.py).
Idempotent: a location whose demo patients already have clinic questionnaires is left
alone.
"""

import datetime as dt

from django.db import transaction

from dendrite.accounts.models import Role, User
from dendrite.clinics.models import Location
from dendrite.instruments import loader, scoring
from dendrite.outcomes.booster import review_after_response
from dendrite.patients.actions import record_questionnaire_response
from dendrite.patients.models import Patient, QuestionnaireResponse
from dendrite.scheduling.models import Appointment, Kind, Status

# Six induction infusions on open days at least two days apart from ten weeks ago (about
# two weeks, as in CLINICAL.md §11.1's published series), and each patient's scores as
# (days before today, PHQ-9, GAD-7).
INDUCTION_FROM, INDUCTION_COUNT = 70, 6
REMISSION = [(75, 19, 14), (72, 18, 13), (61, 11, 9), (56, 7, 7), (42, 5, 6), (28, 4, 5),
             (14, 3, 4), (2, 4, 4)]  # fmt: skip
RELAPSE = [(74, 21, 15), (71, 20, 15), (62, 15, 12), (56, 9, 9), (42, 6, 7), (28, 5, 6),
           (14, 11, 9), (3, 12, 10)]  # fmt: skip


@transaction.atomic
def load_outcome_trends() -> None:
    for location in Location.objects.with_hours():
        patients = list(Patient.objects.filter(location=location).order_by("pk")[:2])
        nurse = User.objects.filter(locations=location, role=Role.NURSE).first()
        if len(patients) < 2 or nurse is None:
            continue
        if QuestionnaireResponse.objects.filter(
            patient__in=patients, source=QuestionnaireResponse.Source.CLINIC
        ).exists():
            continue
        stories = zip(patients, (8, 12), (REMISSION, RELAPSE), strict=True)
        for patient, hour, scores in stories:
            _infusions(patient, location, nurse, hour)
            _scores(patient, location, scores, hour)
            review_after_response(patient)


def _day(location: Location, days_ago: int) -> dt.date:
    """`days_ago` days before today, moved back to a day the location is open."""
    day = location.local_now().date() - dt.timedelta(days=days_ago)
    while not location.hours_on(day):
        day -= dt.timedelta(days=1)
    return day


def _induction_days(location: Location) -> list[dt.date]:
    days: list[dt.date] = []
    day = location.local_now().date() - dt.timedelta(days=INDUCTION_FROM)
    while len(days) < INDUCTION_COUNT:
        if location.hours_on(day) and (not days or (day - days[-1]).days >= 2):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _infusions(patient: Patient, location: Location, nurse: User, hour: int) -> None:
    kind = location.appointment_types.get(kind=Kind.INFUSION)
    chair = location.chairs.filter(is_active=True).first()
    for day in _induction_days(location):
        start = dt.datetime.combine(day, dt.time(hour), tzinfo=location.tz)
        Appointment.objects.create(
            patient=patient, location=location, appointment_type=kind, staff=nurse,
            chair=chair, starts_at=start,
            staff_ends_at=start + dt.timedelta(minutes=kind.staff_minutes),
            ends_at=start + dt.timedelta(minutes=kind.visit_minutes),
            booked_by=nurse, status=Status.DONE,
        )  # fmt: skip


def _scores(patient: Patient, location: Location, scores: list, hour: int) -> None:
    for days_ago, phq9, gad7 in scores:
        # Answered in the waiting room, half an hour before the visit's time.
        at = dt.datetime.combine(_day(location, days_ago), dt.time(hour - 1, 30), location.tz)
        for code, total in (("phq-9", phq9), ("gad-7", gad7)):
            answers = _answers(code, total)
            record_questionnaire_response(
                patient, scoring.score(code, answers), answers,
                source=QuestionnaireResponse.Source.CLINIC, authored_at=at,
            )  # fmt: skip


def _answers(code: str, total: int) -> dict[str, int]:
    """Item scores adding up to `total`, the highest first; PHQ-9 item 9 always "Not at
    all" (a demo score must not raise a safety alert)."""
    answers = {}
    for item in loader.questions(code):
        if item.is_scored:
            most = 0 if (code, item.link_id) == ("phq-9", scoring.PHQ9_SUICIDE_ITEM) else 3
            answers[item.link_id] = min(most, total - sum(answers.values()))
    return answers
