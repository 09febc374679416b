"""The series planner (series_plan.py): earliest feasible, the same time of day where
possible, the protocol's gap and span always kept."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from dendrite.scheduling.series_plan import check, plan
from dendrite.scheduling.slots import Slot

NY = ZoneInfo("America/New_York")
GAP, SPAN = dt.timedelta(hours=48), dt.timedelta(days=21)


def weekday_slots(first: dt.date, days: int, hours=range(8, 17), skip=()) -> list[Slot]:
    slots = []
    for n in range(days):
        day = first + dt.timedelta(days=n)
        if day.weekday() >= 5:
            continue
        for hour in hours:
            start = dt.datetime.combine(day, dt.time(hour), tzinfo=NY)
            if start not in skip:
                slots.append(Slot(start.astimezone(dt.UTC), 1, 1))
    return slots


def local_times(picks):
    return [p.start.astimezone(NY).strftime("%a %d %H:%M") for p in picks]


MONDAY = dt.date(2026, 12, 7)


def test_six_infusions_every_other_weekday_at_the_same_time():
    picks = plan(weekday_slots(MONDAY, 42), count=6, min_gap=GAP, span=SPAN, tz=NY)
    assert local_times(picks) == [
        "Mon 07 08:00", "Wed 09 08:00", "Fri 11 08:00",
        "Mon 14 08:00", "Wed 16 08:00", "Fri 18 08:00",
    ]  # fmt: skip


def test_a_preferred_time_of_day_is_kept():
    picks = plan(
        weekday_slots(MONDAY, 42), count=6, min_gap=GAP, span=SPAN, tz=NY,
        preferred_time=dt.time(14),
    )  # fmt: skip
    assert {p.start.astimezone(NY).hour for p in picks} == {14}


def test_when_the_usual_time_is_taken_it_takes_the_nearest_time_that_day():
    taken = {dt.datetime(2026, 12, 9, 14, tzinfo=NY)}
    picks = plan(
        weekday_slots(MONDAY, 42, skip=taken), count=6, min_gap=GAP, span=SPAN, tz=NY,
        preferred_time=dt.time(14),
    )  # fmt: skip
    assert local_times(picks)[:3] == ["Mon 07 14:00", "Wed 09 15:00", "Fri 11 15:00"]


def test_the_gap_is_at_least_48_hours_even_across_daylight_saving():
    # 2026-11-01 falls back: 48 wall-clock hours later is 49 real hours.
    slots = weekday_slots(dt.date(2026, 10, 29), 30)
    picks = plan(slots, count=6, min_gap=GAP, span=SPAN, tz=NY)
    for before, after in itertools.pairwise(picks):
        assert after.start - before.start >= GAP


def test_no_plan_when_the_span_cannot_be_met():
    only_mondays = [s for s in weekday_slots(MONDAY, 60) if s.start.astimezone(NY).weekday() == 0]
    assert plan(only_mondays, count=6, min_gap=GAP, span=SPAN, tz=NY) is None


def test_a_later_first_infusion_is_tried_when_the_earliest_cannot_be_completed():
    # The first week has one free Monday morning only; from the second Monday on, all is free.
    slots = weekday_slots(MONDAY, 1, hours=[8]) + weekday_slots(MONDAY + dt.timedelta(days=14), 30)
    picks = plan(slots, count=6, min_gap=GAP, span=SPAN, tz=NY)
    assert picks[0].start.astimezone(NY).date() == MONDAY + dt.timedelta(days=14)


def test_the_visit_length_is_a_floor_on_the_gap():
    slots = weekday_slots(MONDAY, 1)
    picks = plan(
        slots, count=3, min_gap=dt.timedelta(0), span=SPAN, tz=NY, visit=dt.timedelta(hours=2)
    )
    assert local_times(picks) == ["Mon 07 08:00", "Mon 07 10:00", "Mon 07 12:00"]


@settings(max_examples=60, deadline=None)
@given(
    st.sets(st.integers(0, 40 * 9 - 1), max_size=250),
    st.integers(1, 8),
    st.integers(24, 96),
    st.integers(7, 30),
)
def test_every_plan_keeps_the_protocol(removed, count, gap_hours, span_days):
    slots = weekday_slots(MONDAY, 40)
    slots = [s for i, s in enumerate(slots) if i not in removed]
    gap, span = dt.timedelta(hours=gap_hours), dt.timedelta(days=span_days)
    picks = plan(slots, count=count, min_gap=gap, span=span, tz=NY)
    if picks is not None:
        assert len(picks) == count
        assert set(picks) <= set(slots)
        assert check([p.start for p in picks], count=count, min_gap=gap, span=span) is None


def test_check_explains_each_broken_rule():
    starts = [dt.datetime(2026, 12, 7 + 2 * n, 13, tzinfo=dt.UTC) for n in range(6)]
    assert check(starts, count=6, min_gap=GAP, span=SPAN) is None
    assert "6 infusions" in check(starts[:5], count=6, min_gap=GAP, span=SPAN)
    squeezed = [*starts[:5], starts[4] + dt.timedelta(hours=47)]
    assert "48 hours" in check(squeezed, count=6, min_gap=GAP, span=SPAN)
    assert "longer than 7 days" in check(starts, count=6, min_gap=GAP, span=dt.timedelta(days=7))
