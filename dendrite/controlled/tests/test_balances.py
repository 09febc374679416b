"""The pure arithmetic of the log: boundaries by table, invariants by hypothesis."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dendrite.controlled import balances, dating

D = Decimal
volumes = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False)
changes = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False)


@pytest.mark.parametrize(
    ("drawn", "given_", "wasted", "problems"),
    [
        ("2.80", "2.50", "0.30", {}),
        ("2.80", "2.80", "0.00", {}),
        ("2.80", "0.00", "2.80", {}),  # all wasted (the patient refused, say)
        ("0.01", "0.01", "0", {}),
        ("0", "0", "0", {"drawn_ml": balances.DRAWN_NOT_POSITIVE}),
        ("2.80", "2.81", "0", {"given_ml": balances.GIVEN_OVER_DRAWN}),
        ("2.80", "2.50", "0.31", {"wasted_ml": balances.WASTE_MISMATCH.format(expected="0.30")}),
        ("2.80", "2.50", "0.29", {"wasted_ml": balances.WASTE_MISMATCH.format(expected="0.30")}),
        ("2.80", "-0.01", "2.81", {"given_ml": balances.GIVEN_NEGATIVE}),
        ("2.80", "2.80", "-0.01", {"wasted_ml": balances.WASTED_NEGATIVE}),
        ("2.805", "2.80", "0.005", {"drawn_ml": balances.TOO_FINE, "wasted_ml": balances.TOO_FINE}),
    ],
)
def test_administration_boundaries(drawn, given_, wasted, problems):
    assert balances.administration_problems(D(drawn), D(given_), D(wasted)) == problems


@given(drawn=volumes, given_=volumes)
def test_waste_is_accepted_exactly_when_it_is_drawn_minus_given(drawn, given_):
    problems = balances.administration_problems(drawn, given_, drawn - given_)
    assert (problems == {}) == (drawn > 0 and given_ <= drawn)


@given(drawn=volumes, given_=volumes, wasted=volumes)
def test_a_waste_larger_than_what_was_drawn_is_never_accepted(drawn, given_, wasted):
    if wasted > drawn:
        assert balances.administration_problems(drawn, given_, wasted) != {}


@given(st.lists(changes, max_size=40))
def test_the_running_balance_ends_at_the_balance_and_the_ledger_checks(items):
    running = balances.running(items)
    assert len(running) == len(items)
    assert (running[-1] if running else D(0)) == balances.balance(items)
    first_negative = next((i for i, after in enumerate(running) if after < 0), None)
    assert balances.check_ledger(zip(items, running, strict=True)) == first_negative


@given(st.lists(changes, min_size=1, max_size=20), st.integers(0, 19), changes)
def test_a_rewritten_line_is_found(items, index, tamper):
    rows = list(zip(items, balances.running(items), strict=True))
    index %= len(rows)
    if tamper == rows[index][1]:
        return
    rows[index] = (rows[index][0], tamper)
    found = balances.check_ledger(rows)
    assert found is not None and found <= index


@given(st.dictionaries(st.integers(1, 50), volumes), st.dictionaries(st.integers(1, 50), volumes))
def test_reconciliation_balances_expected_against_counted(expected, counted):
    result = balances.reconcile(expected, counted)
    assert {line.vial_id for line in result.lines} == set(expected) | set(counted)
    assert result.counted_ml - result.expected_ml == sum(
        (line.difference_ml for line in result.lines), D(0)
    )
    assert result.has_discrepancy == any(
        expected.get(v, 0) != counted.get(v, 0) for v in set(expected) | set(counted)
    )


def test_a_vial_left_off_a_count_counts_as_found_empty():
    result = balances.reconcile({1: D("7.20"), 2: D("10")}, {1: D("7.20")})
    assert [(line.vial_id, line.difference_ml) for line in result.discrepancies] == [(2, D("-10"))]


def test_milligrams_follow_concentration():
    assert balances.mg(D("2.80"), D("50")) == D("140.00")
    assert balances.mg(D("0.01"), D("100")) == D("1.00")
    assert balances.mg(D("-2.5"), D("10")) == D("-25.00")


EXPIRY = dt.date(2027, 3, 31)
OPENED = dt.date(2027, 1, 1)


@pytest.mark.parametrize(
    ("today", "opened", "days", "usable"),
    [
        (EXPIRY, None, 28, True),
        (EXPIRY + dt.timedelta(days=1), None, 28, False),
        (OPENED + dt.timedelta(days=28), OPENED, 28, True),
        (OPENED + dt.timedelta(days=29), OPENED, 28, False),
        (OPENED + dt.timedelta(days=60), OPENED, 0, True),  # the rule turned off
    ],
)
def test_expiry_and_beyond_use_boundaries(today, opened, days, usable):
    reason = dating.unusable_reason(EXPIRY, opened, today, days, show=dt.date.isoformat)
    assert (reason is None) == usable
