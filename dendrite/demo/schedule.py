"""Demo patients and a schedule to look at: synthetic people only, for `load_demo`.

Each location gets a handful of invented patients with consents on file, one induction
series under way, and consultations over the coming days. The booking gate (scheduling/gate.py)
asks for a signed-off medical history before an infusion: the first two patients have
one, the third not yet, so the demo shows both. Idempotent: a location that already has
demo patients is left alone.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dendrite.accounts.models import Role, User
from dendrite.clinics.models import Location
from dendrite.patients import history_items
from dendrite.patients.actions import register_patient, save_history, sign_off_history
from dendrite.patients.models import Answer, Consent, Patient
from dendrite.scheduling import actions, availability
from dendrite.scheduling.models import Kind, SeriesProtocol

# Invented names (none belongs to a real person known to us).
PEOPLE = {
    "boston": [("Avery", "Lindqvist"), ("Jordan", "Okonkwo"), ("Riley", "Marchetti")],
    "west-hartford": [("Casey", "Halvorsen"), ("Morgan", "Adeyemi"), ("Quinn", "Vasquez")],
}


def _patient(location: Location, first: str, last: str, desk: User) -> Patient:
    patient = register_patient(
        Patient(
            location=location, first_name=first, last_name=last,
            date_of_birth=dt.date(1980, 1, 1) + dt.timedelta(days=len(first + last) * 401),
            email=f"{first.lower()}.{last.lower()}@example.com", phone="+16175550123",
        ),
        by=desk,
    )  # fmt: skip
    for kind in (Consent.Kind.TREATMENT, Consent.Kind.EMAIL_MESSAGES, Consent.Kind.TEXT_MESSAGES):
        Consent.objects.create(
            patient=patient, kind=kind, status=Consent.Status.GIVEN,
            date=timezone.localdate(), recorded_by=desk,
        )  # fmt: skip
    return patient


def _signed_off_history(patient: Patient, nurse: User, prescriber: User) -> None:
    """A nurse takes the history (nothing of note), the prescriber signs it off."""
    note = "Asked at the consultation."
    save_history(patient, {item.code: (Answer.NO, note) for item in history_items.ITEMS}, by=nurse)
    sign_off_history(patient, by=prescriber)


def _first_open_day(location: Location, after: dt.date) -> dt.date:
    day = after
    while not location.hours_on(day):
        day += dt.timedelta(days=1)
    return day


@transaction.atomic
def load_schedule() -> None:
    for location in Location.objects.with_hours().filter(slug__in=PEOPLE):
        staff = User.objects.filter(locations=location)
        desk = staff.filter(role=Role.FRONT_DESK).first()
        nurse = staff.filter(role=Role.NURSE).first()
        prescriber = staff.filter(role=Role.PRESCRIBER).first()
        if desk is None or Patient.objects.filter(location=location).exists():
            continue
        patients = [_patient(location, first, last, desk) for first, last in PEOPLE[location.slug]]
        tomorrow = location.local_now().date() + dt.timedelta(days=1)
        protocol = SeriesProtocol.objects.filter(location=location, is_active=True).first()
        if nurse is not None and prescriber is not None:
            for patient in patients[:2]:
                _signed_off_history(patient, nurse, prescriber)
        if protocol is not None:
            plan = actions.preview_series(
                patients[0], protocol, first_day=_first_open_day(location, tomorrow),
                preferred_time=dt.time(9),
            )  # fmt: skip
            actions.book_series(patients[0], protocol, starts=[s.start for s in plan], by=desk)
        consultation = location.appointment_types.get(kind=Kind.CONSULTATION)
        for offset, patient in enumerate(patients[1:], start=1):
            day = _first_open_day(location, tomorrow + dt.timedelta(days=offset))
            free = availability.free_slots(consultation, day, day, patient=patient)
            if free:
                actions.book(patient, consultation, starts_at=free[len(free) // 2].start, by=desk)
