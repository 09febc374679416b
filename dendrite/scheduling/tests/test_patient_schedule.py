"""The chart's schedule section: upcoming visits, series progress and missed-visit counts,
for everyone who may open the chart (front desk included), in a fixed number of queries."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse

from dendrite.conftest import query_count, signed_in
from dendrite.scheduling.chart import SECTION
from dendrite.scheduling.models import Kind, Series, Status

from .conftest import local, make_appointment, next_weekday, type_at

pytestmark = pytest.mark.django_db


def chart(user, patient) -> str:
    return signed_in(user).get(reverse("patients:chart", args=[patient.pk])).content.decode()


def make_series(patient, nurse, location, statuses: list[str], *, weeks: int = 1) -> Series:
    protocol = type_at(location, Kind.INFUSION).protocols.get()
    series = Series.objects.create(
        patient=patient, location=location, protocol=protocol, name="Induction series",
        infusions=6, min_gap_hours=48, span_days=21, booked_by=nurse,
    )  # fmt: skip
    first = next_weekday(0, weeks=weeks)
    for number, status in enumerate(statuses, start=1):
        day = first + dt.timedelta(days=2 * (number - 1) + (number > 3) * 1)
        make_appointment(
            patient, Kind.INFUSION, local(location, day, 9), nurse, series=series,
            series_number=number, status=status,
        )  # fmt: skip
    return series


def test_front_desk_sees_the_upcoming_visits_on_the_chart(front_desk, prescriber, alice, boston):
    monday = next_weekday(0)
    appointment = make_appointment(alice, Kind.CONSULTATION, local(boston, monday, 9), prescriber)
    page = chart(front_desk, alice)
    assert '<h2 id="schedule" tabindex="-1">Schedule</h2>' in page
    assert reverse("scheduling:appointment", args=[appointment.pk]) in page
    assert f"{monday:%a}, {monday:%b} {monday.day}, {monday.year}, 9:00 AM" in page
    assert "Consultation" in page and "Priya Tester" in page


def test_it_shows_how_far_each_series_has_come(nurse, alice, boston):
    done, booked = Status.DONE, Status.BOOKED
    make_series(alice, nurse, boston, [done, done, done, booked, booked, booked])
    assert "Induction series: <strong>3 of 6 done</strong>" in chart(nurse, alice)


def test_it_counts_no_shows_and_late_cancellations(front_desk, nurse, alice, boston):
    first = next_weekday(0)
    make_appointment(alice, Kind.INFUSION, local(boston, first, 9), nurse, status=Status.NO_SHOW)
    make_appointment(
        alice, Kind.INFUSION, local(boston, first, 12), nurse, status=Status.CANCELLED,
        late_cancel=True,
    )  # fmt: skip
    make_appointment(  # cancelled in good time: not counted
        alice, Kind.INFUSION, local(boston, first, 15), nurse, status=Status.CANCELLED
    )
    page = chart(front_desk, alice)
    assert "<dt>No-shows</dt><dd>1</dd>" in page
    assert "<dt>Late cancellations</dt><dd>1</dd>" in page
    assert "No upcoming appointments." in page


def test_it_links_to_booking_an_appointment_and_a_series(front_desk, alice):
    page = chart(front_desk, alice)
    assert reverse("scheduling:book", args=[alice.pk]) in page
    assert reverse("scheduling:series", args=[alice.pk]) in page
    assert "Book an appointment" in page and "Book an induction series" in page


def test_the_section_takes_the_same_queries_however_long_the_history(nurse, alice, bob, boston):
    template = Template("{% load patient_tags %}{% chart_section section patient %}")
    make_series(bob, nurse, boston, [Status.DONE], weeks=5)

    def render() -> str:
        return template.render(Context({"patient": alice, "section": SECTION}))

    make_series(alice, nurse, boston, [Status.DONE])
    few = query_count(render)
    statuses = [Status.DONE, Status.NO_SHOW, Status.BOOKED, Status.BOOKED, Status.BOOKED]
    make_series(alice, nurse, boston, statuses, weeks=3)
    assert query_count(render) == few == 3  # the gate with the counts, upcoming, series
    assert "No-shows</dt><dd>1" in render()


def test_another_patients_visits_are_not_shown(front_desk, prescriber, alice, bob, boston):
    make_appointment(bob, Kind.CONSULTATION, local(boston, next_weekday(0), 9), prescriber)
    assert "No upcoming appointments." in chart(front_desk, alice)
