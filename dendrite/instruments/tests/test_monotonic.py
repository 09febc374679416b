"""Property-based tests (hypothesis): a worse answer never gives a better result."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dendrite.instruments import loader
from dendrite.instruments.scoring import (
    AUDIT_ZONES,
    DAST10_BANDS,
    GAD7_BANDS,
    PHQ2_BANDS,
    PHQ9_BANDS,
    score,
)

# No example database: the suite must not write files outside the app.
SETTINGS = settings(database=None, deadline=None, max_examples=200)

# Bands from lowest to highest, as each instrument lists them.
BAND_ORDER = {
    "phq-9": [band.slug for band in PHQ9_BANDS],
    "phq-2": [band.slug for band in PHQ2_BANDS],
    "gad-7": [band.slug for band in GAD7_BANDS],
    "audit": [band.slug for band in AUDIT_ZONES],
    "audit-c": ["negative", "positive"],
    "dast-10": [band.slug for band in DAST10_BANDS],
    "pcl-5": ["below-threshold", "probable-ptsd"],
}
# Every way each summed instrument can be scored.
OPTIONS = {
    "audit-c": [{"sex": "male"}, {"sex": "female"}],
    "pcl-5": [{"pcl5_band_rule": "total"}, {"pcl5_band_rule": "clusters"}],
}
CASES = [(code, options) for code in BAND_ORDER for options in OPTIONS.get(code, [{}])]
TIERS = ["none", "low", "moderate", "high"]


def scored_items(code):
    return [item for item in loader.questions(code) if item.is_scored]


def answer_scoring(item, points):
    """The answer that scores ``points``: the score itself, or yes/no as the patient says it."""
    if not item.is_yes_no:
        return points
    return next(o.code == loader.YES for o in item.options if o.score == points)


@st.composite
def an_answer_and_a_higher_one(draw, code):
    """Valid answers, and the same answers with one question raised to a higher option."""
    items = scored_items(code)
    points = [draw(st.sampled_from(item.scores)) for item in items]
    raisable = [n for n, item in enumerate(items) if points[n] < max(item.scores)]
    assume(raisable)
    n = draw(st.sampled_from(raisable))
    raised = [*points]
    raised[n] = draw(st.sampled_from([s for s in items[n].scores if s > points[n]]))
    return [[answer_scoring(item, p) for item, p in zip(items, answers, strict=True)]
            for answers in (points, raised)]  # fmt: skip


@pytest.mark.parametrize(("code", "options"), CASES)
def test_raising_one_answer_never_lowers_the_total_the_band_or_drops_a_flag(code, options):
    order = BAND_ORDER[code]

    @SETTINGS
    @given(an_answer_and_a_higher_one(code))
    def check(pair):
        before, after = (score(code, answers, **options) for answers in pair)
        assert after.total > before.total
        assert order.index(after.band) >= order.index(before.band)
        assert set(before.flags) <= set(after.flags)
        if code == "audit":  # the WHO override only ever raises the intervention
            assert order.index(after.action_zone) >= order.index(before.action_zone)

    check()


@st.composite
def cssrs_answers(draw):
    """Answers that follow the screener's skip logic - CLINICAL.md §1.7 [R44][R43]."""
    q1, q2, q6 = draw(st.booleans()), draw(st.booleans()), draw(st.booleans())
    q3, q4, q5 = [draw(st.booleans()) if q2 else None for _ in range(3)]
    q6a = draw(st.booleans()) if q6 else None
    return {"1": q1, "2": q2, "3": q3, "4": q4, "5": q5, "6": q6, "6a": q6a}


@st.composite
def cssrs_answers_and_one_more_yes(draw):
    """Answers, and the same answers with one "no" turned to "yes"; the questions that
    "yes" opens (Q3-Q5 after Q2, the past-3-months follow-up after Q6) are then answered."""
    answers = draw(cssrs_answers())
    noes = [link_id for link_id, value in answers.items() if value is False]
    assume(noes)
    flipped = draw(st.sampled_from(noes))
    more = {**answers, flipped: True}
    if flipped == "2":
        more.update({q: draw(st.booleans()) for q in ("3", "4", "5")})
    if flipped == "6":
        more["6a"] = draw(st.booleans())
    return answers, more


@SETTINGS
@given(cssrs_answers_and_one_more_yes())
def test_cssrs_one_more_yes_never_lowers_the_tier_or_drops_a_flag(pair):
    before, after = (score("c-ssrs-screener", answers) for answers in pair)

    assert TIERS.index(after.band) >= TIERS.index(before.band)
    assert set(before.flags) <= set(after.flags)
