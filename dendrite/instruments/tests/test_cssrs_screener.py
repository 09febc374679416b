import pytest

from dendrite.instruments.answers import ScoringError
from dendrite.instruments.scoring import score

Y, N, SKIP = True, False, None


def cssrs(q1, q2, q3, q4, q5, q6, q6a):
    return [q1, q2, q3, q4, q5, q6, q6a]


@pytest.mark.parametrize(
    ("answers", "tier"),
    # Tiers - CLINICAL.md §1.7: high = Q4 or Q5 yes, or Q6 yes within the past 3 months [R38];
    # moderate = Q3 yes, or Q6 yes more than 3 months ago [R39]; low = Q1 and/or Q2 only [R39].
    # The highest endorsed tier decides.
    [
        (cssrs(N, N, SKIP, SKIP, SKIP, N, SKIP), "none"),
        (cssrs(Y, N, SKIP, SKIP, SKIP, N, SKIP), "low"),
        (cssrs(N, Y, N, N, N, N, SKIP), "low"),
        (cssrs(Y, Y, N, N, N, N, SKIP), "low"),
        (cssrs(Y, Y, Y, N, N, N, SKIP), "moderate"),
        (cssrs(N, N, SKIP, SKIP, SKIP, Y, N), "moderate"),
        (cssrs(Y, N, SKIP, SKIP, SKIP, Y, N), "moderate"),
        (cssrs(Y, Y, N, Y, N, N, SKIP), "high"),
        (cssrs(Y, Y, N, N, Y, N, SKIP), "high"),
        (cssrs(Y, Y, Y, Y, Y, N, SKIP), "high"),
        (cssrs(N, N, SKIP, SKIP, SKIP, Y, Y), "high"),
        (cssrs(Y, Y, Y, N, N, Y, Y), "high"),
        (cssrs(Y, Y, N, Y, N, Y, N), "high"),
    ],
)
def test_cssrs_screener_tier_is_the_highest_tier_endorsed(answers, tier):
    result = score("c-ssrs-screener", answers)

    assert result.band == tier
    assert result.total is None
    assert result.subscores == {}


@pytest.mark.parametrize(
    ("answers", "flags"),
    # Any "yes" flags suicide risk; the high tier also flags it high - CLINICAL.md §6 rule 2
    [
        (cssrs(N, N, SKIP, SKIP, SKIP, N, SKIP), ()),
        (cssrs(Y, N, SKIP, SKIP, SKIP, N, SKIP), ("suicide-risk",)),
        (cssrs(N, N, SKIP, SKIP, SKIP, Y, N), ("suicide-risk",)),
        (cssrs(Y, Y, Y, N, N, N, SKIP), ("suicide-risk",)),
        (cssrs(Y, Y, N, Y, N, N, SKIP), ("suicide-risk", "suicide-risk-high")),
        (cssrs(N, N, SKIP, SKIP, SKIP, Y, Y), ("suicide-risk", "suicide-risk-high")),
    ],
)
def test_cssrs_screener_any_yes_flags_suicide_risk_and_the_high_tier_flags_it_high(answers, flags):
    assert score("c-ssrs-screener", answers).flags == flags


def test_cssrs_screener_high_tier_asks_for_safety_precautions_and_emergency_numbers():
    # CLINICAL.md §1.7 [R38], §6 rule 2
    action = score("c-ssrs-screener", cssrs(N, N, SKIP, SKIP, SKIP, Y, Y)).action

    assert "safety precautions" in action
    assert "988" in action and "911" in action


@pytest.mark.parametrize(
    "tier_answers", [cssrs(Y, N, SKIP, SKIP, SKIP, N, SKIP), cssrs(Y, Y, Y, N, N, N, SKIP)]
)
def test_cssrs_screener_low_and_moderate_tiers_refer_and_show_the_crisis_line(tier_answers):
    # CLINICAL.md §1.7 [R38], §6 rule 2
    action = score("c-ssrs-screener", tier_answers).action

    assert "outpatient" in action and "988" in action


def test_cssrs_screener_leaves_out_questions_three_to_five_after_no_to_question_two():
    result = score("c-ssrs-screener", {"1": Y, "2": N, "6": N})

    assert result.band == "low"


@pytest.mark.parametrize("question", ["3", "4", "5"])
@pytest.mark.parametrize("answer", [Y, N])
def test_cssrs_screener_refuses_an_answer_to_a_question_the_skip_logic_leaves_out(question, answer):
    answers = {"1": N, "2": N, "6": N, question: answer}

    with pytest.raises(ScoringError) as raised:
        score("c-ssrs-screener", answers)

    assert raised.value.codes == {question: "not-asked"}


def test_cssrs_screener_needs_questions_three_to_five_after_yes_to_question_two():
    with pytest.raises(ScoringError) as raised:
        score("c-ssrs-screener", {"1": N, "2": Y, "6": N})

    assert raised.value.codes == {"3": "missing", "4": "missing", "5": "missing"}


def test_cssrs_screener_needs_the_past_three_months_follow_up_after_yes_to_question_six():
    with pytest.raises(ScoringError) as raised:
        score("c-ssrs-screener", [N, N, SKIP, SKIP, SKIP, Y])

    assert raised.value.codes == {"6a": "missing"}


def test_cssrs_screener_refuses_the_follow_up_after_no_to_question_six():
    with pytest.raises(ScoringError) as raised:
        score("c-ssrs-screener", [N, N, SKIP, SKIP, SKIP, N, N])

    assert raised.value.codes == {"6a": "not-asked"}


@pytest.mark.parametrize("question", ["1", "2", "6"])
def test_cssrs_screener_always_asks_questions_one_two_and_six(question):
    answers = {"1": N, "2": N, "6": N}
    del answers[question]

    with pytest.raises(ScoringError) as raised:
        score("c-ssrs-screener", answers)

    assert raised.value.codes == {question: "missing"}


def test_cssrs_screener_takes_six_answers_when_question_six_is_no():
    assert score("c-ssrs-screener", [N, N, SKIP, SKIP, SKIP, N]).band == "none"


def test_cssrs_screener_interpretation_names_what_was_endorsed():
    result = score("c-ssrs-screener", cssrs(Y, N, SKIP, SKIP, SKIP, Y, N))

    assert result.interpretation == (
        "Moderate suicide risk on the C-SSRS screener. Endorsed: wish to be dead;"
        " suicidal behaviour more than 3 months ago."
    )
