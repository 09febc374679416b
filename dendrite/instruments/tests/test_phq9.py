import pytest

from dendrite.instruments.scoring import score
from dendrite.instruments.tests.helpers import answers_totalling


def phq9(*scores, difficulty=None):
    answers = dict(zip([str(n) for n in range(1, 10)], scores, strict=True))
    if difficulty:
        answers["difficulty"] = difficulty
    return answers


@pytest.mark.parametrize(
    ("total", "band"),
    # PHQ-9 bands 0-4/5-9/10-14/15-19/20-27 - CLINICAL.md §1.1 [R7][R6]
    [
        (0, "none-minimal"),
        (4, "none-minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately-severe"),
        (19, "moderately-severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_total_falls_in_the_published_band_on_both_sides_of_each_cut_off(total, band):
    result = score("phq-9", answers_totalling("phq-9", total))

    assert (result.total, result.band) == (total, band)
    assert result.instrument == "phq-9" and result.version == "1.0.0"


@pytest.mark.parametrize(
    ("total", "action"),
    # 0-4 monitor; 5-14 clinical judgment; 15-27 active treatment - CLINICAL.md §1.1 [R6]
    [(4, "Monitor"), (5, "clinical judgment"), (14, "clinical judgment"), (15, "Active treatment")],
)
def test_phq9_recommended_action_follows_the_band(total, action):
    result = score("phq-9", answers_totalling("phq-9", total))  # fills item 9 last: it stays 0

    assert result.flags == ()
    assert action in result.action


@pytest.mark.parametrize("item_nine", [1, 2, 3])
def test_phq9_item_nine_any_positive_answer_flags_suicide_risk(item_nine):
    result = score("phq-9", phq9(0, 0, 0, 0, 0, 0, 0, 0, item_nine))

    assert result.flags == ("suicide-risk",)
    assert result.band == "none-minimal"  # the flag stands whatever the total
    assert "structured suicide-risk assessment" in result.action
    assert "988" in result.action and "911" in result.action


def test_phq9_item_nine_at_zero_raises_no_flag_even_with_a_severe_total():
    result = score("phq-9", phq9(3, 3, 3, 3, 3, 3, 3, 3, 0))

    assert (result.total, result.band, result.flags) == (24, "severe", ())


def test_phq9_difficulty_item_is_recorded_but_never_added_to_the_total():
    without = score("phq-9", phq9(1, 1, 1, 1, 1, 0, 0, 0, 0))
    with_difficulty = score("phq-9", phq9(1, 1, 1, 1, 1, 0, 0, 0, 0, difficulty="LA6574-3"))

    assert without.total == with_difficulty.total == 5
    assert with_difficulty.recorded == {"difficulty": "LA6574-3"}
    assert without.recorded == {}


def test_phq9_takes_a_list_in_item_order_with_or_without_the_difficulty_answer():
    nine = [2, 1, 0, 0, 0, 0, 0, 0, 0]

    assert score("phq-9", nine).total == 3
    assert score("phq-9", [*nine, "LA6572-7"]).recorded == {"difficulty": "LA6572-7"}
    assert score("phq-9", [*nine, None]).total == 3


def test_phq9_gives_the_same_result_for_a_list_and_a_dict():
    scores = [3, 2, 1, 0, 1, 2, 3, 0, 1]

    assert score("phq-9", scores) == score("phq-9", phq9(*scores))


def test_phq9_interpretation_states_the_total_and_band_in_plain_words():
    result = score("phq-9", phq9(2, 2, 2, 2, 2, 0, 0, 0, 0))

    assert result.interpretation == "Total 10 of 27: moderate depression."
