"""The rota's coverage: who is on call at a moment, and the gaps (pure)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from dendrite.alerts import coverage

T0 = dt.datetime(2026, 11, 27, 0, 0, tzinfo=dt.UTC)


def at(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


def test_a_shift_covers_its_start_but_not_its_end():
    shifts = [(at(8), at(20), "day"), (at(20), at(32), "night")]
    assert coverage.covering(shifts, at(8)) == ["day"]
    assert coverage.covering(shifts, at(20)) == ["night"]
    assert coverage.covering(shifts, at(32)) == []


def test_gaps_are_the_uncovered_parts_of_the_window():
    shifts = [(at(8), at(20)), (at(18), at(22)), (at(30), at(40))]
    assert coverage.gaps(shifts, at(0), at(48)) == [
        (at(0), at(8)), (at(22), at(30)), (at(40), at(48))
    ]  # fmt: skip
    assert coverage.gaps([(at(-5), at(60))], at(0), at(48)) == []
    assert coverage.gaps([], at(0), at(1)) == [(at(0), at(1))]


@given(
    st.lists(st.tuples(st.integers(0, 100), st.integers(1, 30)), max_size=8), st.integers(0, 120)
)
def test_a_moment_is_in_a_gap_exactly_when_no_shift_covers_it(raw, probe):
    shifts = [(at(start), at(start + length)) for start, length in raw]
    gaps = coverage.gaps(shifts, at(0), at(120))
    moment = at(probe)
    in_gap = any(start <= moment < end for start, end in gaps)
    covered = bool(coverage.covering([(s, e, 1) for s, e in shifts], moment))
    assert in_gap is (not covered and moment < at(120))
