import pytest

from dendrite.instruments.answers import ScoringError
from dendrite.instruments.scoring import score

# What a person with no drug problems answers: "No" to everything, "Yes" to item 3.
NO_PROBLEMS = [False, False, True, False, False, False, False, False, False, False]


def dast(yes_count: int) -> list[bool]:
    """Answers scoring ``yes_count``: item 3 "No" first, then "Yes" on the other items."""
    answers = list(NO_PROBLEMS)
    others = [i for i in range(10) if i != 2]
    if yes_count:
        answers[2] = False
        for i in others[: yes_count - 1]:
            answers[i] = True
    return answers


def test_dast10_scores_no_on_item_three_as_one_point():
    # Item 3 is reverse-scored - CLINICAL.md §1.6 [R31][R35]
    assert score("dast-10", NO_PROBLEMS).total == 0
    assert score("dast-10", [False] * 10).total == 1


def test_dast10_scores_yes_on_item_three_as_zero_and_yes_elsewhere_as_one():
    assert score("dast-10", [True] * 10).total == 9


def test_dast10_takes_the_raw_answer_not_a_pre_reversed_score():
    with pytest.raises(ScoringError) as raised:
        score("dast-10", [0, 0, 1, 0, 0, 0, 0, 0, 0, 0])

    assert set(raised.value.codes.values()) == {"wrong-type"}


@pytest.mark.parametrize(
    ("total", "band"),
    # DAST-10 bands 0 none, 1-2 low, 3-5 moderate, 6-8 substantial, 9-10 severe
    # - CLINICAL.md §1.6 [R31][R32]
    [
        (0, "none"),
        (1, "low"),
        (2, "low"),
        (3, "moderate"),
        (5, "moderate"),
        (6, "substantial"),
        (8, "substantial"),
        (9, "severe"),
        (10, "severe"),
    ],
)
def test_dast10_total_falls_in_the_published_band_on_both_sides_of_each_cut_off(total, band):
    result = score("dast-10", dast(total))

    assert (result.total, result.band) == (total, band)


@pytest.mark.parametrize(
    ("total", "action"),
    [
        (0, "No action"),
        (2, "reassess"),
        (3, "Investigate further"),
        (6, "Intensive"),
        (9, "Intensive"),
    ],
)
def test_dast10_recommended_action_follows_the_band(total, action):
    assert action in score("dast-10", dast(total)).action
