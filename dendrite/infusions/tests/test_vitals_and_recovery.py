"""Vital signs (vitals.py) and discharge scores (recovery.py): what is impossible, what is
out of the clinic's limits, when the next set is due, and when a score passes."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dendrite.infusions import recovery, vitals

D = Decimal
LIMITS = vitals.Limits(
    systolic_high=180,
    systolic_low=90,
    diastolic_high=110,
    heart_rate_high=120,
    heart_rate_low=50,
    spo2_low=92,
    resp_rate_high=30,
    resp_rate_low=10,
    temperature_high=D("38.0"),
)
T0 = dt.datetime(2026, 12, 7, 14, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("key", "value", "ok"),
    [
        ("spo2", 100, True),
        ("spo2", 101, False),
        ("spo2", 140, False),
        ("spo2", 50, True),
        ("spo2", 49, False),
        ("systolic", 300, True),
        ("systolic", 301, False),
        ("heart_rate", 20, True),
        ("heart_rate", 19, False),
        ("resp_rate", 60, True),
        ("resp_rate", 61, False),
        ("temperature", D("44"), True),
        ("temperature", D("44.1"), False),
    ],
)
def test_impossible_values_are_named(key, value, ok):
    assert (vitals.implausible(key, D(value)) is None) == ok


@pytest.mark.parametrize(
    ("key", "value", "flagged"),
    [
        ("systolic", 180, False),
        ("systolic", 181, True),
        ("systolic", 90, False),
        ("systolic", 89, True),
        ("diastolic", 110, False),
        ("diastolic", 111, True),
        ("heart_rate", 120, False),
        ("heart_rate", 121, True),
        ("heart_rate", 50, False),
        ("heart_rate", 49, True),
        ("spo2", 92, False),
        ("spo2", 91, True),
        ("resp_rate", 30, False),
        ("resp_rate", 31, True),
        ("resp_rate", 10, False),
        ("resp_rate", 9, True),
        ("temperature", D("38.0"), False),
        ("temperature", D("38.1"), True),
    ],
)
def test_each_limit_on_both_sides(key, value, flagged):
    assert bool(vitals.out_of_limits({key: D(value)}, LIMITS)) == flagged


def test_an_alert_says_which_value_and_which_limit():
    assert vitals.out_of_limits({"systolic": D(186), "diastolic": D(104)}, LIMITS) == [
        "Systolic blood pressure 186 mmHg is above 180"
    ]


@pytest.mark.parametrize(
    ("systolic", "diastolic", "held"), [(140, 90, False), (141, 80, True), (120, 91, True)]
)
def test_the_baseline_hold_limit_on_both_sides(systolic, diastolic, held):
    assert vitals.above_hold(D(systolic), D(diastolic), (140, 90)) == held


def test_nothing_is_due_before_the_start():
    assert (
        vitals.next_due(started_at=None, stopped_at=None, last_taken_at=None, during=10, after=15)
        is None
    )


def test_every_ten_minutes_during_and_fifteen_after():
    due = vitals.next_due(started_at=T0, stopped_at=None, last_taken_at=None, during=10, after=15)
    assert due == T0 + dt.timedelta(minutes=10)
    later = T0 + dt.timedelta(minutes=12)
    assert vitals.next_due(
        started_at=T0, stopped_at=None, last_taken_at=later, during=10, after=15
    ) == later + dt.timedelta(minutes=10)
    stop = T0 + dt.timedelta(minutes=40)
    assert vitals.next_due(
        started_at=T0, stopped_at=stop, last_taken_at=later, during=10, after=15
    ) == stop + dt.timedelta(minutes=15)


@pytest.mark.parametrize(
    ("minutes", "state"), [(9, "not_due"), (10, "due"), (14, "due"), (15, "late"), (60, "late")]
)
def test_due_then_late_after_the_grace(minutes, state):
    due = T0 + dt.timedelta(minutes=10)
    assert vitals.timer_state(due, T0 + dt.timedelta(minutes=minutes), grace=5) == state


@pytest.mark.parametrize(("value", "ok"), [(96, True), (144, True), (95, False), (145, False)])
def test_within_twenty_percent_of_baseline(value, ok):
    assert vitals.within_baseline(D(120), D(value), 20) == ok


@given(st.integers(60, 250), st.integers(0, 60))
def test_a_value_equal_to_baseline_is_always_within_range(baseline, percent):
    assert vitals.within_baseline(D(baseline), D(baseline), percent)


ALL_TWO = {item.key: 2 for item in recovery.ITEMS[recovery.ALDRETE]}


def test_a_full_aldrete_scores_ten_and_passes():
    assert recovery.score(recovery.ALDRETE, ALL_TWO) == 10
    assert recovery.passes(recovery.ALDRETE, 10, 9)


@pytest.mark.parametrize(("total", "passes"), [(9, True), (8, False)])
def test_the_pass_mark_on_both_sides(total, passes):
    assert recovery.passes(recovery.PADSS, total, 9) == passes


def test_a_missing_or_impossible_item_is_refused():
    with pytest.raises(ValueError):
        recovery.score(recovery.ALDRETE, {**ALL_TWO, "spo2": 3})
    with pytest.raises(ValueError):
        recovery.score(recovery.PADSS, {})


@given(
    st.fixed_dictionaries(
        {item.key: st.sampled_from([0, 1, 2]) for item in recovery.ITEMS[recovery.PADSS]}
    )
)
def test_a_padss_total_is_between_zero_and_ten(answers):
    assert 0 <= recovery.score(recovery.PADSS, answers) <= 10
