import pytest

from dendrite.instruments.answers import ScoringError
from dendrite.instruments.scoring import score


@pytest.mark.parametrize(
    ("sex", "answers", "band"),
    # AUDIT-C positive at >=4 for men and >=3 for women - CLINICAL.md §1.5 [R25][R28]
    [
        ("male", [0, 0, 0], "negative"),
        ("male", [1, 1, 1], "negative"),  # 3
        ("male", [2, 1, 1], "positive"),  # 4
        ("male", [4, 4, 4], "positive"),  # 12
        ("female", [0, 0, 0], "negative"),
        ("female", [1, 1, 0], "negative"),  # 2
        ("female", [1, 1, 1], "positive"),  # 3
        ("female", [2, 1, 1], "positive"),  # 4
        ("female", [4, 4, 4], "positive"),  # 12
    ],
)
def test_audit_c_cut_off_depends_on_sex(sex, answers, band):
    result = score("audit-c", answers, sex=sex)

    assert (result.total, result.band) == (sum(answers), band)


def test_audit_c_a_total_of_three_is_positive_for_a_woman_and_negative_for_a_man():
    assert score("audit-c", [1, 1, 1], sex="female").band == "positive"
    assert score("audit-c", [1, 1, 1], sex="male").band == "negative"


def test_audit_c_says_when_all_the_points_come_from_question_one():
    # All points from Q1 alone: probably drinking below recommended limits - CLINICAL.md §1.5 [R25]
    result = score("audit-c", [4, 0, 0], sex="male")

    assert result.band == "positive"
    assert "probably drinking below recommended limits" in result.interpretation
    assert "probably" not in score("audit-c", [3, 1, 0], sex="male").interpretation


def test_audit_c_needs_the_patients_sex():
    with pytest.raises(ScoringError) as raised:
        score("audit-c", [1, 1, 1])

    assert raised.value.codes == {"sex": "missing"}


@pytest.mark.parametrize("sex", ["other", "unknown", "M", "Female", ""])
def test_audit_c_refuses_a_sex_it_has_no_published_cut_off_for(sex):
    with pytest.raises(ScoringError) as raised:
        score("audit-c", [1, 1, 1], sex=sex)

    assert raised.value.codes == {"sex": "not-an-option"}


def test_audit_c_reports_a_missing_sex_together_with_answer_errors():
    with pytest.raises(ScoringError) as raised:
        score("audit-c", [1, 1, 7])

    assert raised.value.codes == {"3": "out-of-range", "sex": "missing"}
