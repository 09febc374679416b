import pytest

from dendrite.instruments.scoring import score


@pytest.mark.parametrize(
    ("answers", "band"),
    # PHQ-2 positive at >=3 - CLINICAL.md §1.2 [R12]
    [([0, 0], "negative"), ([1, 1], "negative"), ([2, 1], "positive"), ([3, 3], "positive")],
)
def test_phq2_is_positive_from_a_total_of_three(answers, band):
    result = score("phq-2", answers)

    assert (result.total, result.band) == (sum(answers), band)


def test_phq2_positive_screen_recommends_a_phq9_or_a_clinical_interview():
    assert "PHQ-9 or a clinical interview" in score("phq-2", [3, 0]).action


def test_phq2_raises_no_flags():
    assert score("phq-2", [3, 3]).flags == ()
