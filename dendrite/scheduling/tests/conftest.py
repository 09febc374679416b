"""The scheduling cast, on top of the shared one (dendrite/conftest.py).

Boston is open Monday to Friday 08:00–18:00 with one chair ("Chair 1") and the four
default appointment types; `nurse` and `prescriber` work there. Tests pick dates with
`next_weekday` so they never depend on the wall clock's day of the week.
"""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from dendrite.clinics.models import Location
from dendrite.patients import history_items
from dendrite.patients.models import Consent, HistoryAnswer, HistorySignOff, Patient
from dendrite.scheduling.models import Appointment, AppointmentType, Kind


def next_weekday(weekday: int = 0, *, after: dt.date | None = None, weeks: int = 1) -> dt.date:
    """A date on `weekday` (0 = Monday) at least `weeks` weeks from `after` (today)."""
    start = (after or dt.date.today()) + dt.timedelta(weeks=weeks)
    return start + dt.timedelta(days=(weekday - start.weekday()) % 7)


def local(location: Location, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=location.tz)


def type_at(location: Location, kind: str) -> AppointmentType:
    return AppointmentType.objects.get(location=location, kind=kind)


def give_consent(patient: Patient, by: Any, kind: str = Consent.Kind.TREATMENT) -> Consent:
    return Consent.objects.create(
        patient=patient, kind=kind, status=Consent.Status.GIVEN, date=dt.date.today(),
        recorded_by=by,
    )  # fmt: skip


def sign_off_history(patient: Patient, by: Any) -> HistorySignOff:
    """Every history item answered "no" and signed off (straight to the tables)."""
    for item in history_items.ITEMS:
        HistoryAnswer.objects.update_or_create(
            patient=patient, item=item.code, defaults={"answer": "no", "updated_by": by}
        )
    return HistorySignOff.objects.create(
        patient=patient, signed_by=by, signed_at=timezone.now(),
        items_version=history_items.VERSION,
    )  # fmt: skip


def clear_for_infusions(patient: Patient, by: Any) -> None:
    """What the booking gate asks for (scheduling/gate.py): treatment consent and a
    signed-off history. No open alert and no triage to override: nothing to add."""
    give_consent(patient, by)
    sign_off_history(patient, by)


def make_appointment(
    patient: Patient, kind: str, starts_at: dt.datetime, staff: Any, *, by: Any = None,
    **extra: Any,
) -> Appointment:  # fmt: skip
    """An appointment written straight to the table (no reminders, no audit): for
    tests of screens that show appointments, not of booking itself."""
    appointment_type = type_at(patient.location, kind)
    chair = extra.pop("chair", None)
    if chair is None and appointment_type.needs_chair:
        chair = patient.location.chairs.first()
    return Appointment.objects.create(
        patient=patient,
        location=patient.location,
        appointment_type=appointment_type,
        staff=staff,
        chair=chair,
        starts_at=starts_at,
        staff_ends_at=starts_at + dt.timedelta(minutes=appointment_type.staff_minutes),
        ends_at=starts_at + dt.timedelta(minutes=appointment_type.visit_minutes),
        booked_by=by or staff,
        **extra,
    )


@pytest.fixture
def monday(boston: Location) -> dt.date:
    return next_weekday(0)


@pytest.fixture
def infusion(boston: Location) -> AppointmentType:
    return type_at(boston, Kind.INFUSION)


@pytest.fixture
def consultation(boston: Location) -> AppointmentType:
    return type_at(boston, Kind.CONSULTATION)
