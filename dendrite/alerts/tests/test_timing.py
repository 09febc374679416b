"""Escalation counts only opening time, in the location's own time zone."""

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from dendrite.alerts.timing import escalation_due

BOSTON = ZoneInfo("America/New_York")
WEEKDAYS_8_TO_18 = [(day, dt.time(8), dt.time(18)) for day in range(5)]


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BOSTON).astimezone(dt.UTC)


def test_during_opening_hours_it_is_fifteen_minutes():
    assert escalation_due(at(2026, 11, 30, 10, 0), 15, BOSTON, WEEKDAYS_8_TO_18) == at(
        2026, 11, 30, 10, 15
    )


def test_just_before_closing_the_rest_waits_for_the_next_opening():
    # Friday 17:55 → 5 minutes on Friday, 10 more from Monday 08:00.
    assert escalation_due(at(2026, 12, 4, 17, 55), 15, BOSTON, WEEKDAYS_8_TO_18) == at(
        2026, 12, 7, 8, 10
    )


def test_at_night_the_clock_starts_at_opening():
    assert escalation_due(at(2026, 11, 30, 3, 0), 15, BOSTON, WEEKDAYS_8_TO_18) == at(
        2026, 11, 30, 8, 15
    )


def test_closed_days_are_skipped():
    christmas = dt.date(2026, 12, 25)
    due = escalation_due(
        at(2026, 12, 24, 17, 50), 15, BOSTON, WEEKDAYS_8_TO_18, [(christmas, christmas)]
    )
    assert due == at(2026, 12, 28, 8, 5)


def test_the_spring_daylight_saving_change_is_handled():
    # Sunday 8 March 2026 clocks go forward; Monday's 08:00 is EDT (UTC-4).
    due = escalation_due(at(2026, 3, 6, 17, 59), 15, BOSTON, WEEKDAYS_8_TO_18)
    assert due == dt.datetime(2026, 3, 9, 12, 14, tzinfo=dt.UTC)


def test_without_opening_hours_wall_clock_minutes_count():
    raised = at(2026, 11, 29, 3, 0)
    assert escalation_due(raised, 15, BOSTON, []) == raised + dt.timedelta(minutes=15)


@given(
    st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 31)),
    st.integers(min_value=1, max_value=600),
)
def test_it_is_never_earlier_than_the_limit_and_always_inside_opening_hours(moment, minutes):
    raised = moment.replace(tzinfo=dt.UTC)
    due = escalation_due(raised, minutes, BOSTON, WEEKDAYS_8_TO_18)
    assert due >= raised + dt.timedelta(minutes=minutes)
    local = due.astimezone(BOSTON)
    assert local.weekday() < 5
    assert dt.time(8) < local.time() <= dt.time(18)
