"""First-response targets count open days, in the location's time zone."""

import datetime as dt
from zoneinfo import ZoneInfo

from dendrite.leads.timing import first_response_due

BOSTON = ZoneInfo("America/New_York")
WEEKDAYS = [(day, dt.time(8), dt.time(18)) for day in range(5)]


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BOSTON).astimezone(dt.UTC)


def test_a_monday_lead_is_due_by_tuesdays_close():
    assert first_response_due(at(2026, 11, 30, 9), 1, BOSTON, WEEKDAYS) == at(2026, 12, 1, 18)


def test_a_friday_or_weekend_lead_is_due_by_mondays_close():
    monday_close = at(2026, 12, 7, 18)
    assert first_response_due(at(2026, 12, 4, 9), 1, BOSTON, WEEKDAYS) == monday_close
    assert first_response_due(at(2026, 12, 5, 23), 1, BOSTON, WEEKDAYS) == monday_close


def test_closures_do_not_count_and_two_days_mean_two_open_days():
    christmas = dt.date(2026, 12, 25)
    due = first_response_due(at(2026, 12, 24, 9), 2, BOSTON, WEEKDAYS, [(christmas, christmas)])
    assert due == at(2026, 12, 29, 18)


def test_without_opening_hours_calendar_days_count():
    arrived = at(2026, 11, 29, 9)
    assert first_response_due(arrived, 1, BOSTON, []) == arrived + dt.timedelta(days=1)
