"""Booking a 6-infusion induction series (pytest-benchmark; run with ``make bench``).

Two locations with 8 chairs and 4 nurses each, open Monday to Friday 08:00–18:00, with
three weeks already about half booked by other patients. What is timed is the whole
staff action: plan the series (actions.preview_series: load the resources, find the
free slots, choose six times) and book it (actions.book_series: check every time again,
write the series, six appointments, their audit entries and reminders) — inside a
transaction rolled back after each round, so every round books into the same schedule.

Target (issue #6): at most 50 ms. Figures are in docs/benchmarks.md.
"""

import datetime as dt
import random

import pytest
from django.db import transaction

from dendrite.accounts.models import Role
from dendrite.clinics.models import Chair
from dendrite.conftest import make_location, make_patient, make_user
from dendrite.scheduling import actions
from dendrite.scheduling.models import Appointment, AppointmentType, Kind, SeriesProtocol
from dendrite.scheduling.tests.conftest import clear_for_infusions

CHAIRS, NURSES, OTHER_PATIENTS = 8, 4, 120


def fill(location, nurses, patients, first_day: dt.date, rng: random.Random) -> None:
    """Each chair busy one or two stretches of every weekday for three weeks; nurse k
    looks after chairs k and k+4, whose starts are 45 minutes apart."""
    infusion = AppointmentType.objects.get(location=location, kind=Kind.INFUSION)
    rows = []
    for n in range(21):
        day = first_day + dt.timedelta(days=n)
        if day.weekday() >= 5:
            continue
        for index, chair in enumerate(location.chairs.all()):
            offset = dt.timedelta(minutes=45 * (index // NURSES))
            hours = (8, 13) if rng.random() < 0.5 else (10,)
            for k, hour in enumerate(hours):
                start = dt.datetime.combine(day, dt.time(hour), tzinfo=location.tz) + offset
                rows.append(
                    Appointment(
                        patient=patients[(n * CHAIRS * 2 + index * 2 + k) % len(patients)],
                        location=location,
                        appointment_type=infusion,
                        chair=chair,
                        staff=nurses[index % NURSES],
                        starts_at=start,
                        staff_ends_at=start + dt.timedelta(minutes=40),
                        ends_at=start + dt.timedelta(minutes=100),
                        booked_by=nurses[0],
                    )
                )
    Appointment.objects.bulk_create(rows)


@pytest.fixture(scope="module")
def clinic(module_db):
    rng = random.Random(2026)  # noqa: S311 - synthetic data, the same schedule every run
    first_day = dt.date.today() + dt.timedelta(days=7 - dt.date.today().weekday() + 7)
    boston = make_location("boston", "Boston", "Boston", "MA")
    hartford = make_location("west-hartford", "West Hartford", "West Hartford", "CT")
    for location in (boston, hartford):
        for number in range(2, CHAIRS + 1):
            Chair.objects.create(location=location, name=f"Chair {number}")
        nurses = [make_user(f"nurse{location.pk}{n}", Role.NURSE, location) for n in range(NURSES)]
        patients = [
            make_patient(location, f"Other{n}", f"Patient{location.pk}")
            for n in range(OTHER_PATIENTS)
        ]
        fill(location, nurses, patients, first_day, rng)
    desk = make_user("desk", Role.FRONT_DESK, boston)
    alice = make_patient(boston, "Alice", "Example")
    # What the booking gate asks for: treatment consent and a signed-off history.
    clear_for_infusions(alice, make_user("priya_prescriber", Role.PRESCRIBER, boston))
    protocol = SeriesProtocol.objects.get(location=boston)
    yield alice, protocol, desk, first_day


def book_a_series(alice, protocol, desk, first_day) -> int:
    with transaction.atomic():
        plan = actions.preview_series(
            alice, protocol, first_day=first_day, preferred_time=dt.time(9)
        )
        series = actions.book_series(alice, protocol, starts=[s.start for s in plan], by=desk)
        booked = series.appointments.count()
        transaction.set_rollback(True)
    return booked


@pytest.mark.django_db
def test_booking_a_six_infusion_series(benchmark, clinic):
    assert Appointment.objects.count() > 350
    booked = benchmark(book_a_series, *clinic)
    assert booked == 6
    assert benchmark.stats.stats.median < 0.050
