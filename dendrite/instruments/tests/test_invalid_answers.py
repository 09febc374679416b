"""Every kind of bad input raises ScoringError with a message and a kind per field."""

import pytest

from dendrite.instruments.answers import ScoringError
from dendrite.instruments.loader import UnknownInstrument
from dendrite.instruments.scoring import score

PHQ9_OK = [0, 1, 2, 3, 0, 1, 2, 3, 0]


def problems(code, answers, **options):
    with pytest.raises(ScoringError) as raised:
        score(code, answers, **options)
    error = raised.value
    assert set(error.errors) == set(error.codes)
    assert all(message.endswith(".") for message in error.errors.values())
    return error.codes


def test_a_scoring_error_is_a_value_error_with_a_message_per_field():
    with pytest.raises(ValueError, match="1: Choose a score from 0 to 3") as raised:
        score("phq-9", [4, *PHQ9_OK[1:]])

    assert raised.value.errors == {"1": "Choose a score from 0 to 3."}


@pytest.mark.parametrize("answers", ["0123012301", 7, None, {0, 1}])
def test_answers_that_are_neither_a_list_nor_a_dict_are_refused(answers):
    assert problems("phq-9", answers) == {"answers": "wrong-shape"}


@pytest.mark.parametrize("count", [0, 1, 8, 11])
def test_a_list_of_the_wrong_length_is_refused(count):
    assert problems("phq-9", [0] * count) == {"answers": "wrong-count"}


def test_the_wrong_count_message_says_how_many_answers_are_expected():
    with pytest.raises(ScoringError) as raised:
        score("gad-7", [0] * 6)

    assert raised.value.errors == {"answers": "Expected 7 answers in item order, got 6."}


@pytest.mark.parametrize("key", ["10", "total", "difficulty ", "q1", 1])
def test_an_answer_to_a_question_the_form_does_not_have_is_refused(key):
    answers = dict(zip([str(n) for n in range(1, 10)], PHQ9_OK, strict=True))
    answers[key] = 0

    assert problems("phq-9", answers) == {str(key): "unknown-item"}


def test_a_missing_answer_is_refused_by_link_id():
    answers = dict(zip([str(n) for n in range(1, 10)], PHQ9_OK, strict=True))
    del answers["4"]
    answers["7"] = None

    assert problems("phq-9", answers) == {"4": "missing", "7": "missing"}


@pytest.mark.parametrize("value", [True, False])
def test_a_bool_where_a_score_is_expected_is_refused(value):
    assert problems("phq-9", [value, *PHQ9_OK[1:]]) == {"1": "wrong-type"}


@pytest.mark.parametrize("value", [1.0, "1", "LA6569-3", [1]])
def test_a_score_that_is_not_a_whole_number_is_refused(value):
    assert problems("gad-7", [value, 0, 0, 0, 0, 0, 0]) == {"1": "wrong-type"}


@pytest.mark.parametrize("value", [1, 0, "yes", None])
def test_anything_but_true_or_false_for_a_yes_no_question_is_refused(value):
    answers = [value, False, None, None, None, False]
    expected = {"1": "missing"} if value is None else {"1": "wrong-type"}

    assert problems("c-ssrs-screener", answers) == expected


@pytest.mark.parametrize(
    ("code", "value"), [("phq-9", 4), ("phq-9", -1), ("pcl-5", 5), ("audit", 5)]
)
def test_a_score_outside_the_items_range_is_refused(code, value):
    answers = {"phq-9": list(PHQ9_OK), "pcl-5": [0] * 20, "audit": [1] + [0] * 9}[code]
    answers[0] = value

    assert problems(code, answers) == {"1": "out-of-range"}


def test_a_score_within_range_that_no_option_carries_is_refused():
    assert problems("audit", [1, 0, 0, 0, 0, 0, 0, 0, 1, 3]) == {
        "9": "not-an-option",
        "10": "not-an-option",
    }


@pytest.mark.parametrize("value", ["LA6568-5", "not difficult", 1])
def test_an_unknown_answer_code_for_the_difficulty_question_is_refused(value):
    kind = "wrong-type" if value == 1 else "not-an-option"

    assert problems("phq-9", [*PHQ9_OK, value]) == {"difficulty": kind}


def test_an_answer_the_skip_logic_excludes_is_refused():
    assert problems("c-ssrs-screener", [False, False, False, None, None, False]) == {
        "3": "not-asked"
    }


def test_every_problem_is_reported_at_once():
    assert problems(
        "phq-9", {"1": 4, "2": True, "3": "x", "4": 0, "5": 0, "6": 0, "8": 0, "9": 0, "x": 1}
    ) == {
        "1": "out-of-range",
        "2": "wrong-type",
        "3": "wrong-type",
        "7": "missing",
        "x": "unknown-item",
    }


def test_an_error_in_question_two_of_the_cssrs_hides_the_questions_that_depend_on_it():
    assert problems("c-ssrs-screener", {"1": False, "2": "yes", "3": True, "6": False}) == {
        "2": "wrong-type"
    }


def test_the_sex_is_checked_only_for_the_audit_c():
    assert score("phq-2", [0, 0], sex="other").band == "negative"
    assert problems("audit-c", [0, 0, 0], sex="x") == {"sex": "not-an-option"}


def test_the_pcl5_options_are_checked_only_for_the_pcl5():
    assert score("phq-2", [0, 0], pcl5_cutoff=0, pcl5_band_rule="x").total == 0


def test_an_unknown_instrument_raises_unknown_instrument_not_a_scoring_error():
    with pytest.raises(UnknownInstrument):
        score("phq-8", [0] * 8)
