import json
import shutil

import pytest

from dendrite.instruments import loader
from dendrite.instruments.loader import UnknownInstrument

CODES = [
    "audit",
    "audit-c",
    "c-ssrs-screener",
    "dast-10",
    "gad-7",
    "pcl-5",
    "phq-2",
    "phq-9",
]


@pytest.fixture
def definitions_dir(tmp_path, monkeypatch):
    """A copy of the definitions folder in place of the real one, with the caches cleared."""
    for path in loader.DEFINITIONS_DIR.glob("*.json"):
        shutil.copy(path, tmp_path)
    monkeypatch.setattr(loader, "DEFINITIONS_DIR", tmp_path)
    loader._load.cache_clear()
    loader.questions.cache_clear()
    loader.language_versions.cache_clear()
    yield tmp_path
    loader._load.cache_clear()
    loader.questions.cache_clear()
    loader.language_versions.cache_clear()


def test_it_knows_all_eight_instruments():
    assert list(loader.instrument_codes()) == CODES


def test_it_lists_each_instrument_with_its_title_version_and_loinc_codes():
    listed = {entry["code"]: entry for entry in loader.list_instruments()}

    assert sorted(listed) == CODES
    assert listed["phq-9"] == {
        "code": "phq-9",
        "title": "Patient Health Questionnaire-9 (PHQ-9)",
        "version": "1.0.0",
        "loinc": "44249-1",
        "result_loinc": "44261-6",
    }


def test_an_unknown_instrument_raises_a_key_error_that_names_it():
    with pytest.raises(UnknownInstrument) as raised:
        loader.get_definition("beck-depression")

    assert isinstance(raised.value, KeyError)
    assert raised.value.args == ("beck-depression",)


@pytest.mark.parametrize("code", ["../pyproject", "phq-9.json", "PHQ-9", ""])
def test_a_code_that_is_not_a_definition_name_is_unknown_even_if_it_looks_like_a_path(code):
    with pytest.raises(UnknownInstrument):
        loader.get_definition(code)


def test_get_definition_returns_a_copy_that_callers_may_change_freely():
    definition = loader.get_definition("phq-9")
    definition["item"].clear()

    assert loader.get_definition("phq-9")["item"]
    assert len(loader.questions("phq-9")) == 10


def test_item_order_leaves_out_display_and_read_only_items():
    assert loader.item_order("phq-9") == (*[str(n) for n in range(1, 10)], "difficulty")
    assert loader.item_order("c-ssrs-screener") == ("1", "2", "3", "4", "5", "6", "6a")


def test_answer_scores_come_from_the_ordinal_values_in_the_json():
    assert loader.answer_scores("audit", "1") == (0, 1, 2, 3, 4)
    assert loader.answer_scores("audit", "9") == (0, 2, 4)
    assert loader.answer_scores("dast-10", "3") == (0, 1)
    assert loader.answer_scores("phq-9", "difficulty") == ()


@pytest.mark.parametrize(
    ("code", "highest"),
    # Total ranges - CLINICAL.md §0
    [
        ("phq-9", 27),
        ("phq-2", 6),
        ("gad-7", 21),
        ("audit", 40),
        ("audit-c", 12),
        ("dast-10", 10),
        ("pcl-5", 80),
        ("c-ssrs-screener", 0),
    ],
)
def test_the_highest_possible_total_is_the_published_one(code, highest):
    assert loader.max_total(code) == highest


def test_a_definition_whose_skip_logic_points_forward_is_refused(definitions_dir):
    broken = json.loads((definitions_dir / "c-ssrs-screener.json").read_text())
    broken["item"][3]["enableWhen"][0]["question"] = "6"
    (definitions_dir / "c-ssrs-screener.json").write_text(json.dumps(broken))

    with pytest.raises(ValueError, match="earlier question"):
        loader.questions("c-ssrs-screener")


def test_a_definition_that_is_not_a_fhir_questionnaire_is_refused(definitions_dir):
    (definitions_dir / "phq-9.json").write_text(json.dumps({"resourceType": "Questionnaire"}))

    with pytest.raises(ValueError, match="status"):
        loader.get_definition("phq-9")


def test_a_definition_with_a_fractional_score_is_refused(definitions_dir):
    broken = json.loads((definitions_dir / "phq-2.json").read_text())
    broken["item"][1]["answerOption"][1]["extension"][0]["valueDecimal"] = 1.5
    (definitions_dir / "phq-2.json").write_text(json.dumps(broken))

    with pytest.raises(ValueError, match="whole numbers"):
        loader.questions("phq-2")
