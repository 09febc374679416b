"""The pure slot finder: half-open intervals, opening hours in wall-clock time across
daylight-saving changes, and every resource respected (slots.py)."""

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from dendrite.scheduling.slots import (
    Interval,
    Resources,
    Slot,
    covers,
    free_slots,
    is_free,
    local_interval,
    merged,
    slot_at,
    wall_clock_starts,
)

NY = ZoneInfo("America/New_York")
UTC = dt.UTC
MIN = dt.timedelta(minutes=1)


def at(hour: int, minute: int = 0, day: int = 7) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def test_touching_intervals_do_not_overlap():
    busy = [Interval(at(9), at(10))]
    assert is_free(busy, at(10), at(11))
    assert is_free(busy, at(8), at(9))
    assert not is_free(busy, at(9, 59), at(11))
    assert not is_free(busy, at(8), at(9, 1))
    assert not is_free(busy, at(9, 15), at(9, 30))


def test_covers_needs_one_window_holding_the_whole_stretch():
    windows = merged([Interval(at(8), at(12)), Interval(at(13), at(18))])
    assert covers(windows, at(8), at(12))
    assert not covers(windows, at(11), at(13, 30))
    assert not covers(windows, at(7, 59), at(9))
    assert covers(merged([Interval(at(8), at(12)), Interval(at(12), at(18))]), at(11), at(13))


@given(
    st.lists(st.tuples(st.integers(0, 200), st.integers(1, 60)), max_size=12),
    st.integers(0, 260),
    st.integers(1, 90),
)
def test_is_free_agrees_with_checking_every_interval(spans, start, length):
    base = at(0)
    intervals = [Interval(base + s * MIN, base + (s + n) * MIN) for s, n in spans]
    begin, end = base + start * MIN, base + (start + length) * MIN
    expected = not any(i.start < end and begin < i.end for i in intervals)
    assert is_free(merged(intervals), begin, end) == expected


def test_opening_hours_keep_their_wall_clock_times_across_daylight_saving():
    # 2026-03-08: New York springs forward (EST, UTC−5 → EDT, UTC−4) at 02:00.
    before = local_interval(dt.date(2026, 3, 6), dt.time(8), dt.time(18), NY)
    after = local_interval(dt.date(2026, 3, 9), dt.time(8), dt.time(18), NY)
    assert before.start == dt.datetime(2026, 3, 6, 13, tzinfo=UTC)
    assert after.start == dt.datetime(2026, 3, 9, 12, tzinfo=UTC)
    # 2026-11-01: back to EST at 02:00.
    fall = local_interval(dt.date(2026, 11, 2), dt.time(8), dt.time(18), NY)
    assert fall.start == dt.datetime(2026, 11, 2, 13, tzinfo=UTC)


def test_the_spring_forward_gap_yields_no_start_times_and_the_day_is_an_hour_shorter():
    starts = list(
        wall_clock_starts(dt.date(2026, 3, 8), dt.time(1), dt.time(4), NY, dt.timedelta(minutes=30))
    )
    local = [s.astimezone(NY).strftime("%H:%M") for s in starts]
    assert local == ["01:00", "01:30", "03:00", "03:30"]
    assert starts[2] - starts[1] == dt.timedelta(minutes=30)  # 01:30 EST → 03:00 EDT


def test_the_fall_back_day_steps_in_wall_clock_time():
    starts = list(
        wall_clock_starts(
            dt.date(2026, 11, 1), dt.time(8), dt.time(9), NY, dt.timedelta(minutes=15)
        )
    )
    assert [s.astimezone(NY).strftime("%H:%M") for s in starts] == [
        "08:00",
        "08:15",
        "08:30",
        "08:45",
    ]
    assert starts[0] == dt.datetime(2026, 11, 1, 13, tzinfo=UTC)


def resources(**extra) -> Resources:
    opening = [Interval(at(13), at(23))]  # 08:00–18:00 in New York (EST)
    values = {
        "opening": opening,
        "staff_windows": {1: opening, 2: opening},
        "staff_busy": {},
        "chair_busy": {10: [], 11: []},
    }
    values.update(extra)
    return Resources(**values)


STAFF_TIME, VISIT = dt.timedelta(minutes=40), dt.timedelta(minutes=100)


def test_slot_at_picks_the_first_free_staff_member_and_chair():
    res = resources(
        staff_busy={1: [Interval(at(13), at(14))]},
        chair_busy={10: [Interval(at(13), at(15))], 11: []},
    )
    found = slot_at(res, at(13, 30), STAFF_TIME, VISIT)
    assert found == Slot(at(13, 30), 2, 11)


def test_slot_at_says_why_not():
    assert "opening hours" in slot_at(resources(), at(22), STAFF_TIME, VISIT)
    assert "already has" in slot_at(
        resources(patient_busy=[Interval(at(14), at(15))]), at(13), STAFF_TIME, VISIT
    )
    busy = {1: [Interval(at(13), at(16))], 2: [Interval(at(12), at(14))]}
    assert "Nobody" in slot_at(resources(staff_busy=busy), at(13, 30), STAFF_TIME, VISIT)
    chairs = {10: [Interval(at(14), at(15))], 11: [Interval(at(12), at(13, 5))]}
    assert "chair" in slot_at(resources(chair_busy=chairs), at(13), STAFF_TIME, VISIT)
    assert "chair" in slot_at(resources(chair_busy={}), at(13), STAFF_TIME, VISIT)


def test_a_visit_without_a_chair_needs_none():
    assert slot_at(resources(chair_busy=None), at(13), STAFF_TIME, STAFF_TIME) == Slot(at(13), 1)


@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 600), st.integers(15, 120)), max_size=10),
    st.lists(
        st.tuples(st.integers(10, 11), st.integers(0, 600), st.integers(15, 120)), max_size=10
    ),
)
def test_no_slot_ever_overlaps_a_busy_resource(staff_spans, chair_spans):
    base = at(13)
    staff_busy: dict[int, list[Interval]] = {}
    for staff, start, length in staff_spans:
        staff_busy.setdefault(staff, []).append(
            Interval(base + start * MIN, base + (start + length) * MIN)
        )
    chair_busy: dict[int, list[Interval]] = {10: [], 11: []}
    for chair, start, length in chair_spans:
        chair_busy[chair].append(Interval(base + start * MIN, base + (start + length) * MIN))
    res = resources(
        staff_busy={k: merged(v) for k, v in staff_busy.items()},
        chair_busy={k: merged(v) for k, v in chair_busy.items()},
    )
    starts = [base + n * 15 * MIN for n in range(40)]
    for slot in free_slots(res, starts, STAFF_TIME, VISIT):
        assert slot.start + VISIT <= at(23)
        assert all(
            not (i.start < slot.start + STAFF_TIME and slot.start < i.end)
            for i in staff_busy.get(slot.staff_id, [])
        )
        assert all(
            not (i.start < slot.start + VISIT and slot.start < i.end)
            for i in chair_busy[slot.chair_id]
        )
