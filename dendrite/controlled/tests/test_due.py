"""When the daily count and the biennial inventory are due (the pure rules)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dendrite.controlled import due

WEEKDAYS = [(d, dt.time(8), dt.time(18)) for d in range(5)]  # Monday to Friday, 8 to 6
MONDAY = dt.date(2026, 11, 30)
TEN = dt.time(10)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


@pytest.mark.parametrize(
    ("now", "closures", "in_stock", "counted", "overdue"),
    [
        (at(MONDAY, 9, 59), [], True, False, False),  # before the due time
        (at(MONDAY, 10), [], True, False, True),  # at the due time
        (at(MONDAY, 10), [], True, True, False),  # counted
        (at(MONDAY, 10), [], False, False, False),  # nothing in stock
        (at(MONDAY + dt.timedelta(days=5), 12), [], True, False, False),  # Saturday
        (at(MONDAY, 12), [(MONDAY, MONDAY)], True, False, False),  # closed for a holiday
        (at(MONDAY, 23, 59), [], True, False, True),  # still late at night
    ],
)
def test_the_daily_count_is_late_only_on_an_open_day_with_stock_after_its_time(
    now, closures, in_stock, counted, overdue
):
    assert due.daily_count_overdue(now, TEN, WEEKDAYS, closures, in_stock, counted) is overdue


def test_a_location_without_hours_is_never_open():
    assert not due.is_open_on(MONDAY, [])


@pytest.mark.parametrize(
    ("today", "soon", "overdue"),
    [
        (dt.date(2028, 1, 4), False, False),  # 31 days before
        (dt.date(2028, 1, 5), True, False),  # 30 days before
        (dt.date(2028, 2, 4), True, False),  # the day it is due
        (dt.date(2028, 2, 5), False, True),  # the day after
    ],
)
def test_the_biennial_inventory_is_due_two_years_on_with_a_warning_30_days_before(
    today, soon, overdue
):
    status = due.inventory(dt.date(2026, 2, 4), today)
    assert status.next_due == dt.date(2028, 2, 4)
    assert (status.due_soon, status.overdue) == (soon, overdue)


def test_an_inventory_on_29_february_is_due_on_28_february():
    assert due.two_years_after(dt.date(2028, 2, 29)) == dt.date(2030, 2, 28)


def test_without_an_initial_inventory_one_is_due_now():
    status = due.inventory(None, MONDAY)
    assert status.next_due is None and status.overdue


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_the_next_inventory_is_never_more_than_two_years_away(day):
    gap = due.two_years_after(day) - day
    assert dt.timedelta(days=729) <= gap <= dt.timedelta(days=731)
