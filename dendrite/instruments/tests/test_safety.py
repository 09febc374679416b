"""What raised a safety flag, in words, and the alert's tier - CLINICAL.md §1.7, §6."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dendrite.instruments import safety
from dendrite.instruments.scoring import SUICIDE_RISK, SUICIDE_RISK_HIGH, score

NO = {"1": False, "2": False, "6": False}


@pytest.mark.parametrize(
    ("value", "found"),
    [(0, []), (1, ["Several days"]), (2, ["More than half the days"]), (3, ["Nearly every day"])],
)
def test_phq9_item_9_from_1_is_a_reason_in_words(value, found):
    reasons = safety.reasons("phq-9", {"9": value})
    assert [r.answer for r in reasons] == found
    assert all(r.tier == safety.MODERATE and r.number == "9" for r in reasons)


@pytest.mark.parametrize(
    ("answers", "tier"),
    [
        ({"1": True, "2": False, "6": False}, safety.LOW),
        ({"1": False, "2": True, "3": False, "4": False, "5": False, "6": False}, safety.LOW),
        ({"1": True, "2": True, "3": True, "4": False, "5": False, "6": False}, safety.MODERATE),
        ({"1": True, "2": True, "3": False, "4": True, "5": False, "6": False}, safety.HIGH),
        ({"1": True, "2": True, "3": False, "4": False, "5": True, "6": False}, safety.HIGH),
        ({"1": False, "2": False, "6": True, "6a": True}, safety.HIGH),
        ({"1": False, "2": False, "6": True, "6a": False}, safety.MODERATE),
    ],
)
def test_cssrs_tiers_follow_the_columbia_triage(answers, tier):
    reasons = safety.reasons("c-ssrs-screener", answers)
    assert safety.tier_of((), reasons) == tier
    # ...and agree with the scoring engine's own tier.
    result = score("c-ssrs-screener", answers)
    assert result.band == tier
    assert (SUICIDE_RISK_HIGH in result.flags) is (tier == safety.HIGH)


def test_a_list_in_item_order_is_read_like_a_dict():
    assert safety.reasons("phq-9", [0, 0, 0, 0, 0, 0, 0, 0, 2])[0].answer == (
        "More than half the days"
    )


def test_behaviour_whose_timing_is_not_yet_answered_says_so():
    [reason] = safety.reasons("c-ssrs-screener", {"1": False, "2": False, "6": True})
    assert reason.answer == "Yes (when not yet answered)"


def test_a_high_risk_flag_is_high_even_without_its_answer():
    assert safety.tier_of([SUICIDE_RISK, SUICIDE_RISK_HIGH]) == safety.HIGH
    assert safety.tier_of([SUICIDE_RISK]) == safety.MODERATE
    assert safety.tier_of([]) == safety.LOW


def test_other_questionnaires_and_bad_shapes_give_no_reason():
    assert safety.reasons("gad-7", {"1": 3}) == []
    assert safety.reasons("phq-9", "garbage") == []
    assert safety.reasons("phq-9", {"9": "3"}) == []
    assert safety.reasons("phq-9", {"9": True}) == []


@given(st.dictionaries(st.sampled_from(["1", "2", "3", "4", "5", "6", "6a"]), st.booleans()))
def test_the_tier_is_the_highest_reason_and_never_below_the_flags(answers):
    reasons = safety.reasons("c-ssrs-screener", answers)
    tier = safety.tier_of([SUICIDE_RISK_HIGH], reasons)
    assert tier == safety.HIGH
    plain = safety.tier_of((), reasons)
    assert all(safety.TIERS.index(plain) >= safety.TIERS.index(r.tier) for r in reasons)
