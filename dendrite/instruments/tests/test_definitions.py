"""The JSON definitions: valid FHIR, LOINC codes as CLINICAL.md gives them, scores as published."""

import json

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from dendrite.instruments import loader

CODES = loader.instrument_codes()
LOINC = "http://loinc.org"

# Panel and total (or result) LOINC codes - CLINICAL.md §0 table; GAD-7 panel 69737-5,
# C-SSRS screener panel 93373-9 and the PCL-5 codes are marked "verify" there.
LOINC_TABLE = {
    "phq-9": ("44249-1", "44261-6"),
    "phq-2": ("55757-9", "55758-7"),
    "gad-7": ("69737-5", "70274-6"),
    "audit": ("72110-0", "75624-7"),
    "audit-c": ("72109-2", "75626-2"),
    "dast-10": ("82666-9", "82667-7"),
    "c-ssrs-screener": ("93373-9", "93374-7"),
    "pcl-5": ("101697-1", "101698-9"),
}

# Item LOINC codes, in order - CLINICAL.md §1.1 [R5][R2], §1.3 [R13][R15], §1.4 [R17],
# §1.7 [R37]; PHQ-2 is PHQ-9 items 1-2 (§1.2), AUDIT-C is AUDIT questions 1-3 (§1.5).
ITEM_LOINC = {
    "phq-9": [
        "44250-9", "44255-8", "44259-0", "44254-1", "44251-7",
        "44258-2", "44252-5", "44253-3", "44260-8", "69722-7",
    ],
    "phq-2": ["44250-9", "44255-8"],
    "gad-7": ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"],
    "audit": [
        "68518-0", "68519-8", "68520-6", "97734-8", "97735-5",
        "97736-3", "97737-1", "97738-9", "97739-7", "97740-5",
    ],
    "audit-c": ["68518-0", "68519-8", "68520-6"],
    "c-ssrs-screener": [
        "93246-7", "93247-5", "93248-3", "93249-1", "93250-9", "93267-3", "93269-9",
    ],
}  # fmt: skip

# Phrases each licence text must carry - CLINICAL.md §1.1-§1.8
LICENCE = {
    "phq-9": "No permission is required to reproduce, translate, display or distribute",
    "phq-2": "Pfizer",
    "gad-7": "Pfizer",
    "audit": "World Health Organization",
    "audit-c": "World Health Organization",
    "dast-10": "non-commercial",
    "c-ssrs-screener": "Research Foundation for Mental Hygiene",
    "pcl-5": "Public domain",
}


def raw(code):
    return json.loads((loader.DEFINITIONS_DIR / f"{code}.json").read_text(encoding="utf-8"))


def panel_and_result(code):
    definition = raw(code)
    result = next(item for item in definition["item"] if item.get("readOnly"))
    return definition["code"][0]["code"], result["code"][0]["code"]


def test_there_is_one_definition_per_instrument_in_the_issue():
    assert set(CODES) == set(LOINC_TABLE)


@pytest.mark.parametrize("code", CODES)
def test_each_definition_validates_as_a_fhir_r4b_questionnaire(code):
    questionnaire = Questionnaire.model_validate(raw(code))

    assert questionnaire.status == "active"
    assert questionnaire.url == f"{loader.BASE_URL}/Questionnaire/{code}"
    assert questionnaire.version == "1.0.0"
    assert questionnaire.id == code
    assert questionnaire.name and questionnaire.title


@pytest.mark.parametrize("code", CODES)
def test_each_definition_carries_its_licence_text(code):
    assert LICENCE[code] in raw(code)["copyright"]


@pytest.mark.parametrize("code", CODES)
def test_panel_and_total_loinc_codes_match_the_clinical_reference_table(code):
    assert panel_and_result(code) == LOINC_TABLE[code]


def test_no_definition_uses_the_swapped_or_mistyped_codes_seen_in_public_code():
    # CLINICAL.md §0 warning [R13][R17][R18][R25]
    assert panel_and_result("audit")[1] != "75626-2"
    assert panel_and_result("audit-c")[1] != "75624-7"
    assert panel_and_result("dast-10")[1] != "82666-9"
    assert panel_and_result("phq-2")[0] != "69737-5"
    for code in CODES:
        text = json.dumps(raw(code))
        assert "70273-5" not in text and "70273-8" not in text


@pytest.mark.parametrize("code", sorted(ITEM_LOINC))
def test_item_loinc_codes_match_the_clinical_reference(code):
    assert [item.loinc for item in loader.questions(code)] == ITEM_LOINC[code]


@pytest.mark.parametrize("code", ["phq-9", "phq-2", "gad-7"])
def test_phq_and_gad_answers_are_loinc_list_ll358_3_scored_0_to_3(code):
    # CLINICAL.md §1.1 [R2], §1.3 [R2][R14]
    expected = [
        ("LA6568-5", "Not at all", 0),
        ("LA6569-3", "Several days", 1),
        ("LA6570-1", "More than half the days", 2),
        ("LA6571-9", "Nearly every day", 3),
    ]
    for item in loader.questions(code):
        if item.link_id != "difficulty":
            options = [(o.code, o.display, o.score) for o in item.options]
            assert options == expected
            assert {o.system for o in item.options} == {LOINC}


def test_phq9_difficulty_answers_are_loinc_list_ll359_1_with_no_scores():
    # CLINICAL.md §1.1 [R3]
    item = loader.get_item("phq-9", "difficulty")

    assert [o.code for o in item.options] == ["LA6572-7", "LA6573-5", "LA6575-0", "LA6574-3"]
    assert all(o.score is None for o in item.options)
    assert item.required is False


def test_audit_questions_one_to_eight_score_0_to_4_and_nine_and_ten_only_0_2_or_4():
    # CLINICAL.md §1.4 [R19][R20]
    for n in range(1, 9):
        assert loader.answer_scores("audit", str(n)) == (0, 1, 2, 3, 4)
    for n in (9, 10):
        assert loader.answer_scores("audit", str(n)) == (0, 2, 4)


def test_audit_c_questions_are_the_first_three_audit_questions():
    audit, audit_c = loader.questions("audit"), loader.questions("audit-c")

    for full, short in zip(audit[:3], audit_c, strict=True):
        assert (full.text, full.loinc, full.options) == (short.text, short.loinc, short.options)


def test_dast10_scores_yes_as_1_except_item_three_which_is_reverse_scored():
    # CLINICAL.md §1.6 [R31][R35]
    for item in loader.questions("dast-10"):
        by_answer = {o.display: o.score for o in item.options}
        reverse = item.link_id == "3"
        assert by_answer == ({"Yes": 0, "No": 1} if reverse else {"Yes": 1, "No": 0})
        assert item.is_yes_no


def test_cssrs_answers_are_loinc_yes_and_no_with_no_scores():
    # CLINICAL.md §1.7 [R37][R43]
    for item in loader.questions("c-ssrs-screener"):
        assert [(o.code, o.display, o.score) for o in item.options] == [
            ("LA33-6", "Yes", None),
            ("LA32-8", "No", None),
        ]


def test_cssrs_skip_logic_asks_3_to_5_after_yes_to_2_and_the_follow_up_after_yes_to_6():
    # CLINICAL.md §1.7 [R44][R43]
    conditions = {
        item.link_id: [(c.question, c.operator, c.answer[1]) for c in item.enable_when]
        for item in loader.questions("c-ssrs-screener")
    }

    assert conditions == {
        "1": [],
        "2": [],
        "3": [("2", "=", "LA33-6")],
        "4": [("2", "=", "LA33-6")],
        "5": [("2", "=", "LA33-6")],
        "6": [],
        "6a": [("6", "=", "LA33-6")],
    }


def test_the_audit_skip_logic_is_marked_optional_and_only_the_cssrs_skip_is_mandatory():
    for code in CODES:
        for item in loader.questions(code):
            if item.enable_when:
                assert item.optional_skip == (code == "audit"), (code, item.link_id)
    skippable = [i.link_id for i in loader.questions("audit") if i.optional_skip]
    assert skippable == ["2", "3", "4", "5", "6", "7", "8"]


def test_pcl5_has_twenty_items_scored_0_to_4():
    # CLINICAL.md §1.8 [R47a][R47b]
    assert len(loader.questions("pcl-5")) == 20
    for item in loader.questions("pcl-5"):
        assert [o.display for o in item.options] == [
            "Not at all",
            "A little bit",
            "Moderately",
            "Quite a bit",
            "Extremely",
        ]
        assert item.scores == (0, 1, 2, 3, 4)


@pytest.mark.parametrize("code", CODES)
def test_every_question_is_required_except_the_phq9_difficulty_item(code):
    for item in loader.questions(code):
        assert item.required == (item.link_id != "difficulty")


@pytest.mark.parametrize("code", CODES)
def test_every_question_has_text_and_every_answer_a_coded_display(code):
    for item in loader.questions(code):
        assert item.text.strip()
        assert item.options
        for option in item.options:
            assert option.system and option.code and option.display
            assert option.system == LOINC or option.system.startswith(loader.BASE_URL)
