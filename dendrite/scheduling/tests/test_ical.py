"""The .ics files parse as RFC 5545 with time zones, and say nothing they should not."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from dendrite.scheduling.ical import appointment_ics, feed_ics
from dendrite.scheduling.models import Kind, Status
from dendrite.scheduling.tests.conftest import local, make_appointment

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
UTC = dt.UTC


def events(data: bytes) -> list:
    return list(Calendar.from_ical(data).walk("VEVENT"))


@pytest.mark.parametrize(
    ("day", "hour", "utc_hour"),
    [
        (dt.date(2026, 3, 6), 9, 14),  # the Friday before the spring change: EST, UTC−5
        (dt.date(2026, 3, 8), 9, 13),  # the day the clocks go forward: EDT, UTC−4
        (dt.date(2026, 11, 1), 9, 14),  # the day the clocks go back: EST again
        (dt.date(2026, 11, 1), 1, 5),  # 01:00 happens twice that night; fold 0 is EDT
    ],
)
def test_it_writes_local_time_with_its_zone_on_both_sides_of_a_dst_change(
    boston, alice, nurse, day, hour, utc_hour
):
    appointment = make_appointment(alice, Kind.INFUSION, local(boston, day, hour), nurse)
    calendar = Calendar.from_ical(appointment_ics([appointment]))
    start = next(iter(calendar.walk("VEVENT")))["DTSTART"]
    assert start.params["TZID"] == "America/New_York"
    assert start.dt.tzinfo is not None and start.dt.hour == hour
    assert start.dt.astimezone(UTC) == dt.datetime.combine(day, dt.time(utc_hour), tzinfo=UTC)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert calendar.get_missing_tzids() == set()


def test_the_patients_copy_names_the_place_and_no_staff(boston, alice, nurse):
    boston.email = "boston@example.test"
    boston.save()
    appointment = make_appointment(
        alice, Kind.INFUSION, local(boston, dt.date(2026, 5, 4), 9), nurse
    )
    data = appointment_ics([appointment])
    calendar = Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "PUBLISH"
    assert event["SUMMARY"] == "Infusion at Boston"
    assert event["LOCATION"] == "1 Test Street, Boston, MA 02116"
    assert event["UID"] == f"appointment-{appointment.pk}@dendrite"
    assert event["STATUS"] == "CONFIRMED"
    assert event["SEQUENCE"] == appointment.version
    assert "DTSTAMP" in event
    assert event["DTEND"].dt - event["DTSTART"].dt == dt.timedelta(minutes=100)
    assert b"Nora" not in data and b"Tester" not in data and b"Lovelace" not in data


def test_a_cancelled_appointment_keeps_its_uid_and_says_cancelled(boston, alice, nurse):
    start = local(boston, dt.date(2026, 5, 4), 9)
    appointment = make_appointment(alice, Kind.INFUSION, start, nurse, status=Status.CANCELLED)
    (event,) = events(appointment_ics([appointment]))
    assert event["STATUS"] == "CANCELLED"
    assert event["UID"] == f"appointment-{appointment.pk}@dendrite"


def test_a_feed_shows_the_visit_type_and_initials_only(boston, alice, nurse):
    start = local(boston, dt.date(2026, 5, 4), 9)
    appointment = make_appointment(alice, Kind.INFUSION, start, nurse)
    data = feed_ics([appointment], name="Boston", show_patient=True)
    (event,) = events(data)
    assert event["SUMMARY"] == "Infusion — A.L."
    assert event["CLASS"] == "PRIVATE"
    assert b"Alice" not in data and b"Lovelace" not in data and b"Nora" not in data


def test_a_feed_without_patients_shows_the_visit_type_alone(boston, alice, nurse):
    start = local(boston, dt.date(2026, 5, 4), 9)
    appointment = make_appointment(alice, Kind.INFUSION, start, nurse)
    (event,) = events(feed_ics([appointment], name="Boston", show_patient=False))
    assert event["SUMMARY"] == "Infusion"


def test_a_staff_feed_ends_when_the_staff_members_part_ends(boston, alice, nurse):
    start = local(boston, dt.date(2026, 5, 4), 9)
    appointment = make_appointment(alice, Kind.INFUSION, start, nurse)
    (event,) = events(feed_ics([appointment], name="Mine", show_patient=True, staff_time=True))
    assert event["DTEND"].dt - event["DTSTART"].dt == dt.timedelta(minutes=40)


def test_an_empty_feed_is_still_a_calendar_with_a_component():
    calendar = Calendar.from_ical(feed_ics([], name="Boston", show_patient=True, tz=NEW_YORK))
    assert calendar["X-WR-CALNAME"] == "Boston"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert calendar.walk("VEVENT") == []
