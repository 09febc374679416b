"""Triage properties over any answers (hypothesis), scored by the real engine."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dendrite.instruments.scoring import SUICIDE_RISK, score
from dendrite.screening.answers import summary
from dendrite.screening.questions import HEALTH_QUESTIONS, MEDICATIONS
from dendrite.screening.triage import OUTCOMES, triage

from .triage_helpers import rules

pytestmark = pytest.mark.slow  # about a second each: hundreds of screenings scored

ABSOLUTE = [
    question
    for rule in rules().rules
    if rule.outcome == "not-suitable-now" and rule.when["kind"] == "answer"
    for question in [rule.when["question"]]
]


@st.composite
def cssrs_answers(draw: st.DrawFn) -> dict:
    answers = {q: draw(st.booleans()) for q in ("1", "2", "6")}
    if answers["2"]:
        answers |= {q: draw(st.booleans()) for q in ("3", "4", "5")}
    if answers["6"]:
        answers["6a"] = draw(st.booleans())
    return answers


@st.composite
def screenings(draw: st.DrawFn) -> tuple[dict, dict]:
    """Any mix of scored questionnaires (each may be missing) and any health and treatment."""
    results = {}
    if draw(st.booleans()):
        results["phq-9"] = summary(
            score("phq-9", draw(st.lists(st.integers(0, 3), min_size=9, max_size=9)))
        )
    if draw(st.booleans()):
        results["gad-7"] = summary(
            score("gad-7", draw(st.lists(st.integers(0, 3), min_size=7, max_size=7)))
        )
    if draw(st.booleans()):
        consumption = draw(st.lists(st.integers(0, 4), min_size=8, max_size=8))
        problems = draw(st.lists(st.sampled_from([0, 2, 4]), min_size=2, max_size=2))
        results["audit"] = summary(score("audit", consumption + problems))
    if draw(st.booleans()):
        results["dast-10"] = summary(
            score("dast-10", draw(st.lists(st.booleans(), min_size=10, max_size=10)))
        )
    if draw(st.booleans()):
        results["c-ssrs-screener"] = summary(score("c-ssrs-screener", draw(cssrs_answers())))
    answers = {
        "health": {
            question: draw(st.sampled_from(["yes", "no", "not-sure"]))
            for question, _ in HEALTH_QUESTIONS
        },
        "treatment": {
            "antidepressants": draw(st.integers(0, 3)),
            "therapy": draw(st.sampled_from(["yes", "no"])),
            "medications": draw(
                st.lists(st.sampled_from([m for m, _ in MEDICATIONS]), unique=True)
            ),
            "other_medications": "",
        },
    }
    return results, answers


@settings(max_examples=300, deadline=None)
@given(screenings())
def test_the_outcome_is_always_one_of_the_five_and_the_highest_fired(screening):
    results, answers = screening
    result = triage(results, answers, rules())
    assert result.outcome in OUTCOMES
    assert result.fired, "some rule always fires"
    ranks = [OUTCOMES.index(rule["outcome"]) for rule in result.fired]
    assert ranks == sorted(ranks)
    assert result.outcome == result.fired[0]["outcome"]


@settings(max_examples=300, deadline=None)
@given(screenings())
def test_a_suicide_risk_flag_always_gives_urgent_safety(screening):
    results, answers = screening
    flagged = any(SUICIDE_RISK in result["flags"] for result in results.values())
    assert (triage(results, answers, rules()).outcome == "urgent-safety") is flagged


@settings(max_examples=200, deadline=None)
@given(screenings(), st.sampled_from(ABSOLUTE))
def test_an_absolute_contraindication_never_leaves_a_candidate_or_a_mere_review(
    screening, question
):
    results, answers = screening
    answers["health"][question] = "yes"
    outcome = triage(results, answers, rules()).outcome
    assert OUTCOMES.index(outcome) <= OUTCOMES.index("not-suitable-now")


@settings(max_examples=200, deadline=None)
@given(screenings(), st.sampled_from([question for question, _ in HEALTH_QUESTIONS]))
def test_a_worse_health_answer_never_gives_a_better_outcome(screening, question):
    results, answers = screening
    answers["health"][question] = "no"
    before = triage(results, answers, rules()).outcome
    for worse in ("not-sure", "yes"):
        answers["health"][question] = worse
        after = triage(results, answers, rules()).outcome
        assert OUTCOMES.index(after) <= OUTCOMES.index(before)


@settings(max_examples=300, deadline=None)
@given(screenings())
def test_a_likely_candidate_has_no_flag_no_caution_and_no_doubt(screening):
    results, answers = screening
    if triage(results, answers, rules()).outcome != "likely-candidate":
        return
    assert not any(result["flags"] for result in results.values())
    assert set(answers["health"].values()) == {"no"}
    assert answers["treatment"]["medications"] == []
