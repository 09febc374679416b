"""Drinking metrics against hand-computed cases, for men and women (NIAAA heavy drinking
day: 5 or more for men, 4 or more for women — CLINICAL.md §2)."""

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dendrite.recovery import metrics
from dendrite.recovery.metrics import Definition, heavy_threshold

MONDAY = dt.date(2026, 11, 2)


def days_from(start: dt.date, values: list[float | None]) -> dict[dt.date, Decimal]:
    return {
        start + dt.timedelta(days=n): Decimal(str(v)) for n, v in enumerate(values) if v is not None
    }


def test_the_heavy_drinking_day_starts_at_five_for_men_and_four_for_women() -> None:
    assert heavy_threshold("male") == 5
    assert heavy_threshold("female") == 4
    # NIAAA gives no figure for other sexes: the lower one, so no heavy day goes unseen.
    assert heavy_threshold("intersex") == 4
    assert heavy_threshold("unknown") == 4


def test_a_full_week_for_a_man_and_for_a_woman() -> None:
    days = days_from(MONDAY, [0, 2, 5, 0, 4, 6, 1])  # 18 drinks
    sunday = MONDAY + dt.timedelta(days=6)
    man = metrics.summarize(days, MONDAY, sunday, heavy_threshold("male"))
    woman = metrics.summarize(days, MONDAY, sunday, heavy_threshold("female"))
    assert man.drinks == woman.drinks == Decimal(18)
    assert man.drinks_per_week == Decimal("18.0")
    assert man.heavy_days == 2  # 5 and 6
    assert woman.heavy_days == 3  # 5, 4 and 6
    assert man.abstinent_days == 2
    assert man.percent_abstinent == Decimal("28.6")  # 2 of 7
    assert man.days_without_data == 0


def test_days_without_data_count_neither_as_abstinent_nor_as_drinking() -> None:
    days = days_from(MONDAY, [1, 0, 0, 4, None, None, 3])  # 8 drinks over 5 recorded days
    week = metrics.summarize(days, MONDAY, MONDAY + dt.timedelta(days=6), heavy_threshold("female"))
    assert week.days_with_data == 5
    assert week.days_without_data == 2
    assert week.drinks_per_week == Decimal("11.2")  # 8 / 5 × 7
    assert week.percent_abstinent == Decimal("40.0")  # 2 of 5
    assert week.heavy_days == 1
    man = metrics.summarize(days, MONDAY, MONDAY + dt.timedelta(days=6), heavy_threshold("male"))
    assert man.heavy_days == 0


def test_a_period_without_any_data_has_no_averages() -> None:
    empty = metrics.summarize({}, MONDAY, MONDAY + dt.timedelta(days=6), 5)
    assert empty.drinks_per_week is None
    assert empty.percent_abstinent is None
    assert empty.days_without_data == 7


def test_weeks_run_monday_to_sunday_newest_first_and_stop_today() -> None:
    wednesday = MONDAY + dt.timedelta(weeks=1, days=2)
    days = days_from(MONDAY, [1] * 10)
    found = metrics.weeks(days, wednesday, 2, 5)
    assert [(w.start, w.end) for w in found] == [
        (MONDAY + dt.timedelta(weeks=1), wednesday),
        (MONDAY, MONDAY + dt.timedelta(days=6)),
    ]
    assert found[0].drinks == 3
    assert found[1].drinks == 7


def test_months_are_calendar_months_across_a_new_year() -> None:
    days = {dt.date(2025, 12, 31): Decimal(6), dt.date(2026, 1, 2): Decimal(2)}
    january, december = metrics.months(days, dt.date(2026, 1, 10), 2, heavy_threshold("male"))
    assert (january.start, january.end) == (dt.date(2026, 1, 1), dt.date(2026, 1, 10))
    assert january.drinks == 2
    assert (december.start, december.end) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert december.heavy_days == 1
    assert december.days_without_data == 30
    assert december.drinks_per_week == Decimal("42.0")  # 6 drinks on the one recorded day


def test_a_lapse_is_a_drinking_day_after_enough_abstinent_days() -> None:
    definition = Definition(abstinent_days=3)
    days = days_from(
        MONDAY,
        [0, 0, 0, 2, None, 0, 0, 0, 1, 0, 0, None, 0, 2, 0, 0, 1],
    )
    # Day 4 follows 3 abstinent days; day 9 follows days 6–8 (day 5 unknown, before them);
    # day 14 follows only one abstinent day after the unknown day 12; day 17 follows two.
    assert metrics.lapses(days, definition) == [
        MONDAY + dt.timedelta(days=3),
        MONDAY + dt.timedelta(days=8),
    ]


def test_two_abstinent_days_are_not_enough_for_a_lapse_of_three() -> None:
    days = days_from(MONDAY, [0, 0, 3])
    assert metrics.lapses(days, Definition(abstinent_days=3)) == []
    assert metrics.lapses(days, Definition(abstinent_days=2)) == [MONDAY + dt.timedelta(days=2)]


def test_a_relapse_is_enough_heavy_days_within_the_window_women_at_four() -> None:
    definition = Definition(abstinent_days=7, heavy_days=3, window_days=14)
    values: list[float | None] = [None] * 14
    values[0] = values[7] = values[13] = 4  # days 1, 8 and 14: 13 days apart
    days = days_from(MONDAY, values)
    assert metrics.relapses(days, heavy_threshold("female"), definition) == [
        MONDAY + dt.timedelta(days=13)
    ]
    # Four drinks is not a heavy day for a man.
    assert metrics.relapses(days, heavy_threshold("male"), definition) == []


def test_heavy_days_fourteen_days_apart_are_outside_a_fourteen_day_window() -> None:
    definition = Definition(heavy_days=3, window_days=14)
    values: list[float | None] = [None] * 15
    values[0] = values[7] = values[14] = 5
    days = days_from(MONDAY, values)
    assert metrics.relapses(days, heavy_threshold("male"), definition) == []
    values[13] = 5
    days = days_from(MONDAY, values)
    assert metrics.relapses(days, heavy_threshold("male"), definition) == [
        MONDAY + dt.timedelta(days=13)
    ]


def test_an_episode_ends_after_enough_abstinent_days_and_a_new_one_can_begin() -> None:
    definition = Definition(abstinent_days=3, heavy_days=2, window_days=7)
    days = days_from(MONDAY, [6, 6, 6, 0, 0, 6, 0, 0, 0, 5, 5])
    # Episode from day 2; days 4–5 are too short a break, day 6 still belongs to it; days
    # 7–9 end it; days 10–11 begin a second one.
    assert metrics.relapses(days, 5, definition) == [
        MONDAY + dt.timedelta(days=1),
        MONDAY + dt.timedelta(days=10),
    ]
    ongoing = metrics.status(days, 5, definition)
    assert ongoing.relapse_since == MONDAY + dt.timedelta(days=10)
    ended = metrics.status(days_from(MONDAY, [6, 6, 0, 0, 0]), 5, definition)
    assert ended.last_relapse == MONDAY + dt.timedelta(days=1)
    assert ended.relapse_since is None


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), st.integers(0, 60)), max_size=40), st.integers(1, 10))
def test_the_figures_always_add_up(values: list[int | None], abstinent: int) -> None:
    days = days_from(MONDAY, values)  # type: ignore[arg-type]
    end = MONDAY + dt.timedelta(days=max(len(values), 1) - 1)
    period = metrics.summarize(days, MONDAY, end, 5)
    assert period.days_with_data + period.days_without_data == (end - MONDAY).days + 1
    assert period.abstinent_days + period.heavy_days <= period.days_with_data
    for lapse in metrics.lapses(days, Definition(abstinent_days=abstinent)):
        assert days[lapse] > 0
    for onset in metrics.relapses(days, 5, Definition(abstinent_days=abstinent)):
        assert days[onset] >= 5
