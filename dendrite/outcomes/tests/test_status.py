"""Baseline, change, response and remission on a table of cases (CLINICAL.md §2), and the
booster signal."""

import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as s

from dendrite.outcomes import status as st
from dendrite.outcomes.labels import baseline_missing, status_words
from dendrite.outcomes.status import (
    NO_INFUSION,
    NO_SCORE_BEFORE,
    PHQ9,
    BoosterRule,
    Point,
    Thresholds,
    booster_signal,
    is_response,
    status,
)

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
INFUSION = T0 + dt.timedelta(days=10)


def day(n: int) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


def series(*scores_by_day: tuple[int, int]) -> list[Point]:
    return [Point(day(d), score) for d, score in scores_by_day]


CASES = [
    # (name, series (day, score), baseline, response, remission, words)
    ("several pre-infusion scores: the last one is the baseline",
     [(0, 22), (5, 18), (9, 20), (14, 12)], (9, 20), False, False,
     "Not yet a response: 40 % below baseline"),
    ("exactly 50 % below counts as a response",
     [(9, 20), (14, 10)], (9, 20), True, False, "Response: 50 % below baseline"),
    ("just under 50 % is not yet a response",
     [(9, 21), (14, 11)], (9, 21), False, False, "Not yet a response: 47 % below baseline"),
    ("PHQ-9 of 4 is remission", [(9, 18), (14, 4)], (9, 18), True, True,
     "Remission · Response: 77 % below baseline"),
    ("PHQ-9 of 5 is not remission", [(9, 18), (14, 5)], (9, 18), True, False,
     "Response: 72 % below baseline"),
    ("rising scores", [(9, 10), (14, 13)], (9, 10), False, False,
     "Not yet a response: 30 % above baseline"),
    ("baseline 0: no percentage and no response", [(9, 0), (14, 3)], (9, 0), False, True,
     "Remission · Not yet a response: the baseline was 0"),
    ("a score at the moment of the infusion is not before it",
     [(5, 16), (10, 8)], (5, 16), True, False, "Response: 50 % below baseline"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "points", "baseline", "response", "remission", "words"), CASES)
def test_the_table_of_cases(name, points, baseline, response, remission, words):
    result = status(series(*points), INFUSION, PHQ9)
    assert result.baseline == Point(day(baseline[0]), baseline[1])
    assert result.response is response
    assert result.remission is remission
    assert status_words(result) == words
    assert result.latest == Point(day(points[-1][0]), points[-1][1])
    assert result.change == points[-1][1] - baseline[1]


def test_it_says_why_there_is_no_baseline():
    after_only = status(series((12, 18), (20, 8)), INFUSION, PHQ9)
    assert after_only.baseline is None
    assert after_only.baseline_missing == NO_SCORE_BEFORE
    assert after_only.response is False
    assert after_only.change is None
    no_infusion = status(series((1, 18)), None, PHQ9)
    assert no_infusion.baseline_missing == NO_INFUSION


def test_the_percent_is_rounded_down_both_ways():
    assert status(series((9, 3), (14, 1)), INFUSION, PHQ9).percent_below == 66
    assert status(series((9, 3), (14, 4)), INFUSION, PHQ9).percent_below == -33


def test_the_minimal_important_change_is_five_points():
    assert status(series((9, 15), (14, 10)), INFUSION, PHQ9).meaningful is True
    assert status(series((9, 15), (14, 11)), INFUSION, PHQ9).meaningful is False
    assert status(series((9, 10), (14, 15)), INFUSION, PHQ9).meaningful is True


def test_other_instruments_have_no_remission_but_a_response():
    result = status(series((9, 16), (14, 8)), INFUSION, Thresholds())
    assert result.remission is None
    assert result.meaningful is None
    assert status_words(result) == "Response: 50 % below baseline"


def test_the_clinic_sets_the_thresholds():
    strict = Thresholds(response_percent=60, remission_below=3)
    result = status(series((9, 20), (14, 3)), INFUSION, strict)
    assert (result.response, result.remission) == (True, False)
    assert is_response(20, 8, 60) and not is_response(20, 9, 60)


@given(s.integers(0, 27), s.integers(0, 27))
def test_a_response_is_half_or_less_of_a_positive_baseline(baseline, latest):
    assert is_response(baseline, latest, 50) is (baseline > 0 and 2 * latest <= baseline)


# The booster signal ---------------------------------------------------------------------

RULE = BoosterRule()


def signal(*points: tuple[int, int]):
    return booster_signal(series(*points), INFUSION, PHQ9, RULE)


def test_one_rising_measurement_is_no_signal():
    assert signal((9, 20), (14, 9), (21, 4), (28, 9)) is None


def test_two_in_a_row_rising_five_above_the_lowest_are_a_signal():
    found = signal((9, 20), (14, 9), (21, 4), (28, 9), (35, 9))
    assert found is not None
    assert found.episode_start == Point(day(14), 9)
    assert found.lowest == Point(day(21), 4)
    assert [p.score for p in found.rising] == [9, 9]


def test_back_to_ten_counts_even_when_less_than_five_above_the_lowest():
    assert signal((9, 20), (14, 8), (21, 10), (28, 11)) is not None


def test_a_fall_between_two_rises_breaks_the_row():
    assert signal((9, 20), (14, 4), (21, 9), (28, 6), (35, 9)) is None


def test_no_episode_without_a_response_or_remission():
    assert signal((9, 20), (14, 14), (21, 19), (28, 20)) is None


def test_a_new_response_after_a_signal_starts_a_new_episode():
    first = signal((9, 20), (14, 4), (21, 10), (28, 12))
    assert first is not None and first.episode_start.at == day(14)
    recovered = signal((9, 20), (14, 4), (21, 10), (28, 12), (35, 3))
    assert recovered is None
    second = signal((9, 20), (14, 4), (21, 10), (28, 12), (35, 3), (42, 11), (49, 12))
    assert second is not None and second.episode_start.at == day(35)


def test_scores_before_the_first_infusion_do_not_start_an_episode():
    assert signal((0, 3), (5, 12), (9, 14)) is None
    assert booster_signal(series((0, 3), (5, 12)), None, PHQ9, RULE) is None


def test_the_rule_is_configurable():
    one = BoosterRule(rise_points=3, back_to=27, in_a_row=1)
    found = booster_signal(series((9, 20), (14, 4), (21, 7)), INFUSION, PHQ9, one)
    assert found is not None and [p.score for p in found.rising] == [7]


def test_the_status_is_codes_and_numbers_worded_in_the_readers_language():
    result = status(series((9, 21), (14, 4)), INFUSION, PHQ9)
    assert result.summary == (st.Part(st.REMISSION), st.Part(st.RESPONSE, 80))
    assert status_words(result) == "Remission · Response: 80 % below baseline"
    with translation.override("es"):
        assert status_words(result) == "Remisión · Respuesta: 80 % por debajo del punto de partida"
        assert baseline_missing(status(series((1, 18)), None, PHQ9)) == (
            "Sin punto de partida: todavía no hay ninguna infusión."
        )
    rising = status(series((9, 10), (14, 13)), INFUSION, PHQ9)
    assert rising.summary == (st.Part(st.NOT_YET_ABOVE, 30),)
