"""Opening-hours arithmetic (clinics/hours.py), shared by the alert and lead clocks.
Boston is open Monday to Friday 08:00–18:00; the clinic closes for Thanksgiving."""

import ast
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from dendrite.clinics import hours

BOSTON = ZoneInfo("America/New_York")
WEEKDAYS = [(weekday, dt.time(8), dt.time(18)) for weekday in range(5)]
THANKSGIVING = (dt.date(2026, 11, 26), dt.date(2026, 11, 27))


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=BOSTON)


def test_open_days_skip_weekends_and_closures_and_list_times_in_order():
    split = [(2, dt.time(14), dt.time(18)), (2, dt.time(8), dt.time(12))]
    days = list(hours.open_days(dt.date(2026, 11, 23), WEEKDAYS[:2] + split, [THANKSGIVING]))
    assert [day.day for day, _ in days[:4]] == [23, 24, 25, 30]
    assert days[2][1] == [(dt.time(8), dt.time(12)), (dt.time(14), dt.time(18))]


def test_open_time_stops_at_closing_and_resumes_at_the_next_opening():
    # Wednesday 17:55 + 15 minutes: 5 today, then Thanksgiving and the weekend pass.
    due = hours.after_open_time(at(25, 17, 55), 15, BOSTON, WEEKDAYS, [THANKSGIVING])
    assert due == at(30, 8, 10).astimezone(dt.UTC)


def test_without_opening_hours_the_clocks_run_on_wall_and_calendar_time():
    assert hours.after_open_time(at(25, 23), 15, BOSTON, []) == at(25, 23, 15)
    assert hours.closing_after_open_days(at(25, 23), 2, BOSTON, []) == at(27, 23)


def test_business_days_end_at_the_closing_of_the_nth_open_day():
    due = hours.closing_after_open_days(at(25, 9), 1, BOSTON, WEEKDAYS, [THANKSGIVING])
    assert due == at(30, 18).astimezone(dt.UTC)


@given(
    start=st.datetimes(
        min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 31),
        timezones=st.just(dt.UTC),
    ),
    minutes=st.integers(min_value=1, max_value=3 * 600),
)  # fmt: skip
def test_an_open_time_deadline_always_falls_inside_opening_hours(start, minutes):
    due = hours.after_open_time(start, minutes, BOSTON, WEEKDAYS).astimezone(BOSTON)
    assert due > start
    assert due.weekday() < 5 and dt.time(8) < due.time() <= dt.time(18)


def test_the_module_imports_nothing_from_django():
    tree = ast.parse(Path(hours.__file__).read_text())
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names]  # fmt: skip
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in imported if name.startswith(("django", "dendrite"))]
