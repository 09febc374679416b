"""FHIR R4 QuestionnaireResponse and Observation built from a completed instrument."""

import datetime as dt

import pytest
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from dendrite.instruments import fhir, loader
from dendrite.instruments.answers import ScoringError
from dendrite.instruments.scoring import score
from dendrite.instruments.tests.helpers import answers_totalling

AUTHORED = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)
Y, N, SKIP = True, False, None

# One valid answer set per instrument, with the options scoring needs.
VALID = {
    "phq-9": ([2, 2, 2, 2, 2, 1, 1, 1, 1, "LA6575-0"], {}),
    "phq-2": ([1, 2], {}),
    "gad-7": ([3, 2, 1, 0, 1, 2, 3], {}),
    "audit": ([1, 1, 1, 2, 1, 1, 0, 0, 2, 4], {}),
    "audit-c": ([2, 1, 1], {"sex": "male"}),
    "dast-10": ([Y, N, N, N, Y, N, N, N, N, N], {}),
    "c-ssrs-screener": ([Y, Y, Y, N, N, Y, N], {}),
    "pcl-5": ([2, 3, 1, 0, 4, 2, 2, 1, 2, 3, 0, 2, 1, 1, 3, 2, 2, 0, 1, 4], {}),
}

# LOINC code of each result - CLINICAL.md §0 (C-SSRS: risk level, there is no total)
RESULT_LOINC = {
    "phq-9": "44261-6",
    "phq-2": "55758-7",
    "gad-7": "70274-6",
    "audit": "75624-7",
    "audit-c": "75626-2",
    "dast-10": "82667-7",
    "pcl-5": "101698-9",
    "c-ssrs-screener": "93374-7",
}


def build(code, answers=None, **options):
    answers = VALID[code][0] if answers is None else answers
    result = score(code, answers, **(options or VALID[code][1]))
    response = fhir.to_questionnaire_response(
        code, answers, subject_reference="Patient/alice", authored=AUTHORED, result=result
    )
    observation = fhir.to_observation(
        result,
        subject_reference="Patient/alice",
        effective=AUTHORED,
        derived_from="QuestionnaireResponse/1",
    )
    return result, response, observation


def answered(response):
    return {item["linkId"]: item["answer"][0] for item in response["item"]}


def loinc_codes(observation):
    return [c["code"] for c in observation["code"]["coding"] if c["system"] == "http://loinc.org"]


def test_every_instrument_has_a_valid_answer_set_here():
    assert set(VALID) == set(loader.instrument_codes()) == set(RESULT_LOINC)


@pytest.mark.parametrize("code", sorted(VALID))
def test_the_response_and_observation_of_every_instrument_are_valid_fhir(code):
    _, response, observation = build(code)

    QuestionnaireResponse.model_validate(response)
    Observation.model_validate(observation)


@pytest.mark.parametrize("code", sorted(VALID))
def test_the_response_names_its_questionnaire_version_subject_and_time(code):
    _, response, _ = build(code)
    definition = loader.get_definition(code)

    assert response["questionnaire"] == f"{definition['url']}|{definition['version']}"
    assert response["status"] == "completed"
    assert response["subject"] == {"reference": "Patient/alice"}
    assert response["authored"] == "2026-11-28T09:30:00+00:00"


@pytest.mark.parametrize("code", sorted(VALID))
def test_every_answer_is_the_chosen_options_coding_with_the_question_text(code):
    _, response, _ = build(code)
    questions = {item.link_id: item for item in loader.questions(code)}

    for item in response["item"]:
        if item["linkId"] not in questions:
            continue  # the read-only result item
        question = questions[item["linkId"]]
        assert item["text"] == question.text
        (answer,) = item["answer"]
        assert set(answer) == {"valueCoding"}
        options = [(o.system, o.code, o.display) for o in question.options]
        coding = answer["valueCoding"]
        assert (coding["system"], coding["code"], coding["display"]) in options


@pytest.mark.parametrize(("code", "loinc"), sorted(RESULT_LOINC.items()))
def test_the_observation_is_coded_with_the_published_loinc_result_code(code, loinc):
    _, _, observation = build(code)

    assert loinc_codes(observation) == [loinc]
    assert observation["status"] == "final"
    assert observation["category"][0]["coding"][0]["code"] == "survey"
    assert observation["category"][0]["coding"][0]["system"] == fhir.OBSERVATION_CATEGORY


@pytest.mark.parametrize("code", sorted(set(VALID) - {"c-ssrs-screener"}))
def test_the_observation_value_is_the_total_and_the_first_interpretation_the_band(code):
    result, response, observation = build(code)

    assert observation["valueInteger"] == result.total
    band = observation["interpretation"][0]["coding"][0]
    assert (band["system"], band["code"]) == (fhir.BAND_SYSTEM, result.band)
    assert band["display"] == fhir.BAND_LABELS[result.band]
    assert answered(response)["total"] == {"valueInteger": result.total}


def test_yes_no_answers_are_loinc_yes_and_no_codings():
    _, response, _ = build("dast-10")

    assert answered(response)["1"]["valueCoding"]["code"] == "LA33-6"  # Yes
    assert answered(response)["2"]["valueCoding"]["code"] == "LA32-8"  # No
    # Item 3 is reverse-scored, but the response records what the patient said.
    assert answered(response)["3"]["valueCoding"]["code"] == "LA32-8"


def test_a_phq9_with_item_nine_endorsed_carries_the_suicide_risk_flag():
    result, _, observation = build("phq-9", [0, 0, 0, 0, 0, 0, 0, 0, 1])

    assert result.flags == ("suicide-risk",)
    assert fhir.flags_of(observation) == ("suicide-risk",)
    flag = observation["interpretation"][1]["coding"][0]
    assert (flag["system"], flag["code"]) == (fhir.FLAG_SYSTEM, "suicide-risk")
    assert observation["interpretation"][0]["coding"][0]["code"] == "none-minimal"


def test_a_phq9_without_item_nine_carries_no_flag():
    _, _, observation = build("phq-9", [3, 3, 3, 3, 3, 3, 3, 3, 0])

    assert fhir.flags_of(observation) == ()
    assert len(observation["interpretation"]) == 1


def test_the_phq9_difficulty_is_a_coded_answer_but_not_part_of_the_total():
    answers = {**{str(n): 1 for n in range(1, 10)}, "difficulty": "LA6574-3"}
    _, response, observation = build("phq-9", answers)

    difficulty = answered(response)["difficulty"]["valueCoding"]
    assert difficulty == {
        "system": "http://loinc.org",
        "code": "LA6574-3",
        "display": "Extremely difficult",
    }
    assert observation["valueInteger"] == 9  # the nine items only
    assert answered(response)["total"] == {"valueInteger": 9}


def test_an_unanswered_phq9_difficulty_is_left_out():
    _, response, _ = build("phq-9", [1] * 9)

    assert "difficulty" not in answered(response)


def test_cssrs_items_the_skip_logic_leaves_out_are_absent_from_the_response():
    # Q2 no: Q3-Q5 are not asked; Q6 no: the "past 3 months" follow-up is not asked.
    _, response, _ = build("c-ssrs-screener", [Y, N, SKIP, SKIP, SKIP, N, SKIP])

    assert list(answered(response)) == ["1", "2", "6", "risk-level"]
    QuestionnaireResponse.model_validate(response)


def test_the_cssrs_observation_values_the_risk_tier_and_has_no_total():
    # Q6 yes within the past 3 months: high risk - CLINICAL.md §1.7 [R38]
    result, response, observation = build("c-ssrs-screener", [N, N, SKIP, SKIP, SKIP, Y, Y])

    assert result.band == "high"
    assert "valueInteger" not in observation
    tier = observation["valueCodeableConcept"]["coding"][0]
    assert (tier["code"], tier["display"]) == ("high", "High")
    assert answered(response)["risk-level"]["valueCoding"] == tier
    assert fhir.flags_of(observation) == ("suicide-risk", "suicide-risk-high")


def test_audit_questions_skipped_after_never_are_absent_from_the_response():
    # Q1 "Never": skip to Q9-10 - CLINICAL.md §1.4 [R23]
    answers = [0, None, None, None, None, None, None, None, 0, 2]
    _, response, observation = build("audit", answers)

    assert list(answered(response)) == ["1", "9", "10", "total"]
    assert observation["valueInteger"] == 2


def test_audit_subscores_and_action_zone_are_components():
    # Total 7 (zone I) with 2 on Q4: the override raises the intervention to zone II.
    _, _, observation = build("audit", [1, 1, 1, 2, 1, 1, 0, 0, 0, 0])

    parts = {c["code"]["coding"][0]["code"]: c for c in observation["component"]}
    assert {code: parts[code]["valueInteger"] for code in parts if code != "audit-action-zone"} == {
        "audit-consumption": 3,
        "audit-dependence": 4,
        "audit-problems": 0,
    }
    zone = parts["audit-action-zone"]["valueCodeableConcept"]["coding"][0]
    assert (zone["system"], zone["code"]) == (fhir.BAND_SYSTEM, "zone-2")
    assert all(c["code"]["coding"][0]["system"] == fhir.PART_SYSTEM for c in parts.values())


def test_pcl5_cluster_subscores_and_criteria_are_components():
    result, _, observation = build("pcl-5")

    parts = {c["code"]["coding"][0]["code"]: c for c in observation["component"]}
    for cluster, value in result.subscores.items():
        assert parts[f"pcl-5-{cluster.lower()}"]["valueInteger"] == value
    assert parts["pcl-5-total-cutoff"]["valueBoolean"] == result.criteria["total-cutoff"]
    assert parts["pcl-5-dsm5-clusters"]["valueBoolean"] == result.criteria["dsm5-clusters"]
    assert all(
        c["code"]["coding"][0]["display"] in fhir.PART_LABELS.values() for c in parts.values()
    )


def test_instruments_without_subscores_have_no_components():
    _, _, observation = build("gad-7")

    assert "component" not in observation


def test_the_observation_is_derived_from_the_response_when_given():
    result, _, observation = build("phq-2")

    assert observation["derivedFrom"] == [{"reference": "QuestionnaireResponse/1"}]
    assert observation["subject"] == {"reference": "Patient/alice"}
    assert observation["effectiveDateTime"] == "2026-11-28T09:30:00+00:00"
    bare = fhir.to_observation(result)
    assert not {"derivedFrom", "subject", "effectiveDateTime"} & set(bare)
    Observation.model_validate(bare)


def test_without_a_time_nothing_is_dated_because_the_clock_is_never_read():
    response = fhir.to_questionnaire_response("phq-2", [0, 0])

    assert "authored" not in response
    assert [item["linkId"] for item in response["item"]] == ["1", "2"]  # no result, no total
    QuestionnaireResponse.model_validate(response)


def test_a_time_without_a_time_zone_is_refused():
    naive = dt.datetime(2026, 11, 28, 9, 30)
    with pytest.raises(ValueError, match="time zone"):
        fhir.to_questionnaire_response("phq-2", [0, 0], authored=naive)
    with pytest.raises(ValueError, match="time zone"):
        fhir.to_observation(score("phq-2", [0, 0]), effective=naive)


def test_invalid_answers_are_refused_as_scoring_refuses_them():
    with pytest.raises(ScoringError) as error:
        fhir.to_questionnaire_response("phq-9", [0, 0, 0, 0, 0, 0, 0, 0, 4])
    assert error.value.codes == {"9": "out-of-range"}


def test_a_result_of_another_instrument_is_refused():
    with pytest.raises(ValueError, match="gad-7"):
        fhir.to_questionnaire_response("phq-2", [0, 0], result=score("gad-7", [0] * 7))


@pytest.mark.parametrize("code", sorted(set(VALID) - {"c-ssrs-screener", "audit-c"}))
def test_every_band_the_engine_gives_has_a_plain_label(code):
    for total in range(loader.max_total(code) + 1):
        answers = answers_totalling(code, total)
        if code == "dast-10":  # yes/no: item 3 reversed - CLINICAL.md §1.6
            answers = [bool(a) if n != 2 else not a for n, a in enumerate(answers)]
        result = score(code, answers)
        label = fhir.to_observation(result)["interpretation"][0]["coding"][0]["display"]
        assert label == fhir.BAND_LABELS[result.band]


def test_audit_c_and_cssrs_bands_have_plain_labels():
    for band in ("negative", "positive", "none", "low", "moderate", "high"):
        assert band in fhir.BAND_LABELS
