"""Throughput of the pure scoring engine (pytest-benchmark; run with ``make bench``).

The target is 100 000 PHQ-9 scorings a second on one core; figures in docs/benchmarks.md.
"""

import pytest

from dendrite.instruments.scoring import score

PHQ9 = [2, 2, 2, 2, 2, 1, 1, 1, 1]  # total 14, moderate, item 9 flagged
AUDIT = [1, 1, 1, 2, 1, 1, 0, 0, 0, 0]  # total 7, zone I raised to zone II by the override


@pytest.fixture(autouse=True)
def loaded_definitions():
    # The first call reads and validates the JSON definition (milliseconds, once per
    # process). Do it before timing, or pytest-benchmark calibrates on it and runs too
    # few rounds.
    score("phq-9", PHQ9)
    score("audit", AUDIT)


def test_scoring_a_phq9(benchmark):
    result = benchmark(score, "phq-9", PHQ9)

    assert (result.total, result.band, result.flags) == (14, "moderate", ("suicide-risk",))


def test_scoring_an_audit(benchmark):
    result = benchmark(score, "audit", AUDIT)

    assert (result.total, result.band, result.action_zone) == (7, "zone-1", "zone-2")
