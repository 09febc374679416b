"""Quiet hours (quiet_hours.py): a reminder due in them goes out earlier, just before
they begin on the evening before; never later than promised, never in them, across the
2026 daylight-saving changes in America/New_York (8 March and 1 November)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dendrite.scheduling.quiet_hours import is_quiet, quiet_ends, send_at

NY = ZoneInfo("America/New_York")
NINE_PM, EIGHT_AM = dt.time(21), dt.time(8)


def ny(year: int, month: int, day: int, hour: int, minute: int = 0, fold: int = 0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=NY, fold=fold)


@pytest.mark.parametrize(
    ("due", "sent"),
    [
        (ny(2026, 6, 10, 20, 59), ny(2026, 6, 10, 20, 59)),  # just before: as promised
        (ny(2026, 6, 10, 21, 0), ny(2026, 6, 10, 20, 59)),  # first quiet minute
        (ny(2026, 6, 10, 23, 30), ny(2026, 6, 10, 20, 59)),
        (ny(2026, 6, 11, 0, 0), ny(2026, 6, 10, 20, 59)),  # after midnight: evening before
        (ny(2026, 6, 11, 7, 59), ny(2026, 6, 10, 20, 59)),  # last quiet minute
        (ny(2026, 6, 11, 8, 0), ny(2026, 6, 11, 8, 0)),  # quiet hours over
        (ny(2026, 6, 11, 12, 0), ny(2026, 6, 11, 12, 0)),
    ],
)
def test_a_reminder_due_in_quiet_hours_goes_out_just_before_they_begin(due, sent):
    assert send_at(due, NY, NINE_PM, EIGHT_AM) == sent


@pytest.mark.parametrize(
    ("due", "sent"),
    [
        # Spring forward, Sunday 8 March 2026: 02:00 EST jumps to 03:00 EDT.
        (ny(2026, 3, 8, 3, 30), ny(2026, 3, 7, 20, 59)),  # 23 real hours of night
        (ny(2026, 3, 8, 8, 0), ny(2026, 3, 8, 8, 0)),
        (ny(2026, 3, 8, 21, 0), ny(2026, 3, 8, 20, 59)),
        # Fall back, Sunday 1 November 2026: 01:00–02:00 happens twice.
        (ny(2026, 11, 1, 1, 30, fold=0), ny(2026, 10, 31, 20, 59)),
        (ny(2026, 11, 1, 1, 30, fold=1), ny(2026, 10, 31, 20, 59)),
        (ny(2026, 11, 1, 7, 59), ny(2026, 10, 31, 20, 59)),
        (ny(2026, 11, 1, 21, 30), ny(2026, 11, 1, 20, 59)),
    ],
)
def test_daylight_saving_changes_do_not_move_the_evening_send(due, sent):
    result = send_at(due, NY, NINE_PM, EIGHT_AM)
    assert result == sent
    assert result.astimezone(NY).strftime("%H:%M") == sent.strftime("%H:%M")


def test_quiet_hours_that_do_not_cross_midnight_work_too():
    assert send_at(ny(2026, 6, 10, 13, 0), NY, dt.time(12), dt.time(14)) == ny(2026, 6, 10, 11, 59)
    assert send_at(ny(2026, 6, 10, 14, 0), NY, dt.time(12), dt.time(14)) == ny(2026, 6, 10, 14, 0)


def test_a_quiet_start_that_does_not_exist_on_the_spring_forward_night_is_handled():
    # 02:30 never happens on 8 March 2026; quiet hours 02:30–05:00 begin at 03:00 EDT.
    result = send_at(ny(2026, 3, 8, 4, 0), NY, dt.time(2, 30), dt.time(5))
    assert result == dt.datetime(2026, 3, 8, 6, 59, tzinfo=dt.UTC)  # 01:59 EST
    assert not is_quiet(result, NY, dt.time(2, 30), dt.time(5))


@pytest.mark.parametrize(
    ("moment", "ends"),
    [
        (ny(2026, 6, 10, 12, 0), ny(2026, 6, 10, 12, 0)),
        (ny(2026, 6, 10, 22, 0), ny(2026, 6, 11, 8, 0)),
        (ny(2026, 6, 11, 3, 0), ny(2026, 6, 11, 8, 0)),
        (ny(2026, 3, 7, 22, 0), ny(2026, 3, 8, 8, 0)),
        (ny(2026, 10, 31, 22, 0), ny(2026, 11, 1, 8, 0)),
    ],
)
def test_a_retry_in_quiet_hours_waits_until_they_end(moment, ends):
    assert quiet_ends(moment, NY, NINE_PM, EIGHT_AM) == ends


times = st.times().map(lambda t: t.replace(second=0, microsecond=0))
moments = st.datetimes(
    min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 1, 1), timezones=st.just(dt.UTC)
)


@given(due=moments, start=times, end=times)
def test_the_send_time_is_never_quiet_and_never_after_it_was_due(due, start, end):
    result = send_at(due, NY, start, end)
    assert result <= due
    assert not is_quiet(result, NY, start, end)
    assert due - result < dt.timedelta(hours=26)


@given(moment=moments, start=times, end=times)
def test_the_end_of_quiet_hours_is_never_quiet_and_never_before_the_moment(moment, start, end):
    result = quiet_ends(moment, NY, start, end)
    assert result >= moment
    assert not is_quiet(result, NY, start, end)
    assert result - moment < dt.timedelta(hours=26)
