import pytest

from dendrite.instruments.answers import ScoringError
from dendrite.instruments.scoring import score
from dendrite.instruments.tests.helpers import audit


@pytest.mark.parametrize(
    ("total_answers", "band"),
    # WHO zones I 0-7, II 8-15, III 16-19, IV 20-40 - CLINICAL.md §1.4 [R20][R21][R22].
    # Questions 4-6 stay at 1 or 0 and 9-10 at 0, so the override rule never applies.
    [
        (audit(0), "zone-1"),  # 0
        (audit(1, 1, 1, 1, 1, 1, 1), "zone-1"),  # 7
        (audit(1, 1, 1, 1, 1, 1, 1, 1), "zone-2"),  # 8
        (audit(3, 3, 3, 1, 1, 1, 3), "zone-2"),  # 15
        (audit(3, 3, 3, 1, 1, 1, 4), "zone-3"),  # 16
        (audit(4, 4, 4, 1, 1, 1, 4), "zone-3"),  # 19
        (audit(4, 4, 4, 1, 1, 1, 4, 1), "zone-4"),  # 20
        (audit(4, 4, 4, 1, 1, 1, 4, 4, 0, 0), "zone-4"),  # 23
    ],
)
def test_audit_zone_cut_offs_on_both_sides_without_the_override(total_answers, band):
    result = score("audit", total_answers)

    assert result.band == band
    assert result.action_zone == band


@pytest.mark.parametrize(
    ("answers", "band", "action_zone"),
    # >=2 on Q4, Q5 or Q6, or 4 on Q9 or Q10, raises the intervention one level, capped at
    # zone IV - CLINICAL.md §1.4 [R20]
    [
        (audit(1, 1, 0, 2), "zone-1", "zone-2"),
        (audit(1, 1, 0, 0, 2), "zone-1", "zone-2"),
        (audit(1, 1, 0, 0, 0, 2), "zone-1", "zone-2"),
        (audit(1, 1, 0, 1, 1, 1), "zone-1", "zone-1"),
        (audit(0, 0, 0, 0, 0, 0, 0, 0, 4), "zone-1", "zone-2"),
        (audit(0, 0, 0, 0, 0, 0, 0, 0, 0, 4), "zone-1", "zone-2"),
        (audit(0, 0, 0, 0, 0, 0, 0, 0, 2, 2), "zone-1", "zone-1"),
        (audit(0, 0, 0, 0, 0, 0, 0, 0, 4, 4), "zone-2", "zone-3"),  # 8, raised once only
        (audit(4, 4, 4, 2), "zone-2", "zone-3"),
        (audit(4, 4, 4, 0, 0, 0, 4, 0, 0, 4), "zone-4", "zone-4"),  # 20: capped
        (audit(4, 4, 4, 0, 0, 0, 4, 2, 0, 4), "zone-4", "zone-4"),  # 22: capped
        (audit(4, 4, 4, 4, 0, 0, 0, 0), "zone-3", "zone-4"),  # 16 raised to IV
    ],
)
def test_audit_override_rule_raises_the_intervention_one_zone(answers, band, action_zone):
    result = score("audit", answers)

    assert (result.band, result.action_zone) == (band, action_zone)


def test_audit_maximum_total_of_forty_is_zone_four():
    result = score("audit", [4] * 10)

    assert (result.total, result.band, result.action_zone) == (40, "zone-4", "zone-4")


def test_audit_action_is_the_intervention_of_the_action_zone():
    result = score("audit", audit(1, 1, 0, 2))

    assert result.action == "Simple advice, with patient education materials."
    assert "raises the intervention to that of zone II" in result.interpretation


@pytest.mark.parametrize("question", ["9", "10"])
@pytest.mark.parametrize("weight", [0, 2, 4])
def test_audit_questions_nine_and_ten_accept_only_0_2_or_4(question, weight):
    answers = dict(zip([str(n) for n in range(1, 11)], audit(1), strict=True))
    answers[question] = weight

    assert score("audit", answers).total == 1 + weight


@pytest.mark.parametrize("question", ["9", "10"])
@pytest.mark.parametrize(
    ("value", "kind"), [(1, "not-an-option"), (3, "not-an-option"), (5, "out-of-range")]
)
def test_audit_questions_nine_and_ten_refuse_any_other_score(question, value, kind):
    answers = dict(zip([str(n) for n in range(1, 11)], audit(1), strict=True))
    answers[question] = value

    with pytest.raises(ScoringError) as raised:
        score("audit", answers)

    assert raised.value.codes == {question: kind}


def test_audit_subscores_are_consumption_dependence_and_problems():
    # Q1-3 consumption, Q4-6 dependence, Q7-10 problems - CLINICAL.md §1.4 [R19][R22]
    result = score("audit", [1, 2, 3, 1, 0, 1, 2, 1, 2, 4])

    assert result.subscores == {"consumption": 6, "dependence": 2, "problems": 9}


def test_audit_dependence_subscore_of_four_is_called_out():
    # Dependence sub-score >=4 suggests possible dependence - CLINICAL.md §1.4 [R19]
    assert "possible alcohol dependence" in score("audit", audit(1, 0, 0, 2, 2)).interpretation
    assert "possible alcohol dependence" not in score("audit", audit(1, 0, 0, 1, 2)).interpretation


def test_audit_skip_after_never_on_question_one_scores_the_skipped_questions_as_zero():
    # Q1 "Never" skips to Q9-10 - CLINICAL.md §1.4 [R23]
    result = score("audit", {"1": 0, "9": 2, "10": 0})

    assert (result.total, result.band) == (2, "zone-1")


def test_audit_skip_after_zero_on_questions_two_and_three_scores_four_to_eight_as_zero():
    # Q2 and Q3 both 0 skip to Q9-10 - CLINICAL.md §1.4 [R23]
    result = score("audit", [2, 0, 0, None, None, None, None, None, 0, 4])

    assert (result.total, result.action_zone) == (6, "zone-2")


def test_audit_skip_is_optional_so_a_form_may_ask_every_question():
    assert score("audit", audit(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).total == 0
    assert score("audit", audit(0, 1, 0, 0, 0, 0, 1)).total == 2


def test_audit_question_four_is_required_once_question_two_or_three_scores():
    with pytest.raises(ScoringError) as raised:
        score("audit", {"1": 2, "2": 1, "3": 0, "9": 0, "10": 0})

    assert raised.value.codes == {q: "missing" for q in ["4", "5", "6", "7", "8"]}


def test_audit_questions_two_and_three_are_required_unless_question_one_is_never():
    with pytest.raises(ScoringError) as raised:
        score("audit", {"1": 1, "9": 0, "10": 0})

    assert raised.value.codes == {"2": "missing", "3": "missing"}
