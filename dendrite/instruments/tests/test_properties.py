"""Property-based tests (hypothesis) over every valid set of answers."""

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dendrite.instruments import loader
from dendrite.instruments.scoring import score

# No example database: the suite must not write files outside the app.
SETTINGS = settings(database=None, deadline=None, max_examples=150)
SUM_INSTRUMENTS = ["phq-9", "phq-2", "gad-7", "audit", "audit-c", "pcl-5"]
TIERS = ["none", "low", "moderate", "high"]


def scored_answers(code):
    """Valid answers for a summed instrument: one option score per question, in order."""
    return st.tuples(
        *[st.sampled_from(item.scores) for item in loader.questions(code) if item.is_scored]
    ).map(list)


@st.composite
def cssrs_answers(draw):
    """Answers that follow the screener's skip logic - CLINICAL.md §1.7 [R44][R43]."""
    q1, q2, q6 = draw(st.booleans()), draw(st.booleans()), draw(st.booleans())
    q3, q4, q5 = [draw(st.booleans()) if q2 else None for _ in range(3)]
    q6a = draw(st.booleans()) if q6 else None
    return {"1": q1, "2": q2, "3": q3, "4": q4, "5": q5, "6": q6, "6a": q6a}


def options_for(code):
    return {"sex": "female"} if code == "audit-c" else {}


@pytest.mark.parametrize("code", SUM_INSTRUMENTS)
def test_the_total_is_the_sum_of_the_answers_and_stays_within_the_published_range(code):
    @SETTINGS
    @given(scored_answers(code))
    def check(answers):
        result = score(code, answers, **options_for(code))
        assert result.total == sum(answers)
        assert 0 <= result.total <= loader.max_total(code)

    check()


@SETTINGS
@given(st.lists(st.booleans(), min_size=10, max_size=10))
def test_dast10_total_counts_yes_answers_with_item_three_reversed(answers):
    result = score("dast-10", answers)

    expected = sum(answers) - answers[2] + (not answers[2])
    assert result.total == expected
    assert 0 <= result.total <= 10


@SETTINGS
@given(scored_answers("phq-9"))
def test_phq9_flags_suicide_risk_exactly_when_item_nine_is_positive(answers):
    result = score("phq-9", answers)

    assert ("suicide-risk" in result.flags) == (answers[8] >= 1)


@SETTINGS
@given(cssrs_answers())
def test_cssrs_flags_suicide_risk_exactly_when_any_answer_is_yes(answers):
    result = score("c-ssrs-screener", answers)

    any_yes = any(value is True for value in answers.values())
    high = answers["4"] is True or answers["5"] is True or (answers["6"] and answers["6a"])
    assert ("suicide-risk" in result.flags) == any_yes
    assert ("suicide-risk-high" in result.flags) == bool(high)
    assert (result.band == "none") == (not any_yes)


@SETTINGS
@given(cssrs_answers())
def test_cssrs_tier_is_the_highest_tier_of_any_yes_answer(answers):
    # Tier of each "yes" on its own - CLINICAL.md §1.7 [R38][R39]
    tier_of = {"1": "low", "2": "low", "3": "moderate", "4": "high", "5": "high"}
    endorsed = [tier_of[q] for q in tier_of if answers[q] is True]
    if answers["6"]:
        endorsed.append("high" if answers["6a"] else "moderate")

    expected = max(endorsed, key=TIERS.index, default="none")
    assert score("c-ssrs-screener", answers).band == expected


@SETTINGS
@given(scored_answers("audit"))
def test_audit_action_zone_is_the_zone_or_one_higher_and_never_past_zone_four(answers):
    result = score("audit", answers)

    zone, action_zone = int(result.band[-1]), int(result.action_zone[-1])
    raised = any(answers[q] >= 2 for q in (3, 4, 5)) or 4 in (answers[8], answers[9])
    assert action_zone == (min(zone + 1, 4) if raised else zone)
    assert sum(result.subscores.values()) == result.total


@SETTINGS
@given(scored_answers("pcl-5"), st.integers(min_value=1, max_value=80))
def test_pcl5_band_follows_the_chosen_rule_and_subscores_add_up(answers, cutoff):
    by_total = score("pcl-5", answers, pcl5_cutoff=cutoff)
    by_clusters = score("pcl-5", answers, pcl5_cutoff=cutoff, pcl5_band_rule="clusters")

    assert by_total.criteria == by_clusters.criteria
    assert (by_total.band == "probable-ptsd") == (sum(answers) >= cutoff)
    assert (by_clusters.band == "probable-ptsd") == by_clusters.criteria["dsm5-clusters"]
    assert sum(by_total.subscores.values()) == by_total.total


@pytest.mark.parametrize("code", SUM_INSTRUMENTS)
def test_a_list_in_item_order_and_a_dict_by_link_id_score_the_same(code):
    @SETTINGS
    @given(scored_answers(code))
    def check(answers):
        by_link_id = dict(zip(loader.item_order(code), answers, strict=False))
        options = options_for(code)
        assert score(code, answers, **options) == score(code, by_link_id, **options)

    check()


@SETTINGS
@given(scored_answers("phq-9"))
def test_score_results_are_immutable_so_flags_cannot_be_dropped(answers):
    result = score("phq-9", answers)

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.flags = ()  # type: ignore[misc]
    assert isinstance(result.flags, tuple)
