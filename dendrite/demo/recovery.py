"""Drinking records and plans for two demo patients with alcohol use disorder (synthetic
people only, for `load_demo`): at Boston one whose heavy drinking returned this week
(with its renewed-treatment task), at West Hartford one with a single lapse after weeks
without drinking. Each had a Timeline Followback with a nurse a month ago, then kept the
diary; each has a signed safety plan and relapse-prevention plan."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from dendrite.accounts.models import Role, User
from dendrite.clinics.models import Location
from dendrite.patients.models import Patient
from dendrite.recovery import actions
from dendrite.recovery.models import DrinkingDay, PlanKind, Source

# Drinks per day, oldest first: 30 days of Timeline Followback, then the diary to today.
RELAPSE_FOLLOWBACK = [8, 6, 7, 9, 6, 0, 8, 10, 7, 6, 8, 5, 6, 0, 9, 7, 8, 6, 5, 7] + [0] * 10
RELAPSE_DIARY = [0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 6, 0, 7, 0, 5, 0]
LAPSE_FOLLOWBACK = [6, 5, 7, 4, 6, 8, 5, 6, 0, 7, 5, 6, 4, 3] + [0] * 16
LAPSE_DIARY = [0] * 12 + [2] + [0] * 8
PEOPLE = {"boston": ("Jordan", RELAPSE_FOLLOWBACK, RELAPSE_DIARY),
          "west-hartford": ("Morgan", LAPSE_FOLLOWBACK, LAPSE_DIARY)}  # fmt: skip
MARKERS = {3: "Brother's birthday", 17: "Work conference in Chicago", 26: "First visit"}

SAFETY = {
    "warning_signs": "Not sleeping, staying in bed, stopping answering texts; thinking "
    '"what\'s the point".',
    "coping": "A walk round the reservoir; the breathing app; a hot shower; music.",
    "distractions": "My sister Dana's kitchen; the climbing gym on Saturdays.",
    "helpers": "Dana (sister), (617) 555-0161; Chris from the group, (617) 555-0177.",
    "professionals": "The clinic's nurse line in the daytime; my therapist, Dr. Ellis, "
    "(617) 555-0190.",
    "environment": "Dana keeps my old prescriptions; no alcohol kept in the apartment.",
}
RELAPSE_PREVENTION = {
    "triggers": "Friday evenings alone; arguments on the phone; being very tired.",
    "high_risk": "The team dinner next month; my brother's wedding in the spring.",
    "coping_steps": "Leave by 9 pm; bring my own seltzer; text Chris before I go; wait 20 "
    "minutes when a craving comes and note it in the diary.",
    "supports": "Tuesday group; Dana; the clinic's nurse line.",
    "reasons": "Being there for my daughter's games; sleeping properly; my job.",
}


@transaction.atomic
def load_recovery() -> None:
    for location in Location.objects.filter(slug__in=PEOPLE):
        first, followback, diary = PEOPLE[location.slug]
        patient = Patient.objects.filter(location=location, first_name=first).first()
        staff = User.objects.filter(locations=location, is_active=True)
        nurse = staff.filter(role=Role.NURSE).first()
        prescriber = staff.filter(role=Role.PRESCRIBER).first()
        if patient is None or nurse is None or prescriber is None:
            continue
        if DrinkingDay.objects.filter(patient=patient).exists():
            continue
        _drinking(location, patient, nurse, followback, diary)
        actions.sign_plan(patient, kind=PlanKind.SAFETY, content=SAFETY, by=prescriber)
        actions.sign_plan(
            patient, kind=PlanKind.RELAPSE_PREVENTION, content=RELAPSE_PREVENTION, by=prescriber
        )
        actions.review_relapse(patient)  # Boston's patient gets the task to reach out


def _drinking(
    location: Location, patient: Patient, nurse: User, followback: list[int], diary: list[int]
) -> None:
    today = location.local_now().date()
    first = today - dt.timedelta(days=len(followback) + len(diary) - 1)
    days = {first + dt.timedelta(days=n): Decimal(drinks) for n, drinks in enumerate(followback)}
    actions.record_followback(patient, days, by=nurse)
    for offset, text in MARKERS.items():
        actions.set_marker(patient, day=first + dt.timedelta(days=offset), text=text, by=nurse)
    start = first + dt.timedelta(days=len(followback))
    for n, drinks in enumerate(diary):
        craving = min(10, drinks + 2) if drinks else 1
        actions.record_day(
            patient, day=start + dt.timedelta(days=n), drinks=Decimal(drinks),
            source=Source.DIARY, craving=craving,
        )  # fmt: skip
