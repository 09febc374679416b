"""Triage rules at every boundary, both sides, with questionnaires scored by the real engine.

Each case is (results, answers) → the outcome and the rule that must (or must not) fire.
"""

import pytest

from dendrite.screening.questions import HEALTH_QUESTIONS, MEDICATIONS
from dendrite.screening.triage import SAFETY_FLOOR, Rules, parse_rules, triage

from .triage_helpers import (
    audit,
    audit_total,
    cssrs,
    dast10,
    gad7,
    health,
    phq9,
    rules,
    treatment,
)


def run(results=None, health_answers=None, treatment_answers=None):
    answers = {
        "health": health_answers if health_answers is not None else health(),
        "treatment": treatment_answers if treatment_answers is not None else treatment(),
    }
    return triage(results or {}, answers, rules())


def fired(result) -> list[str]:
    return [rule["rule"] for rule in result.fired]


# Urgent safety: PHQ-9 item 9 >= 1 or any C-SSRS yes - CLINICAL.md §6 rules 1 and 2


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_phq9_item_9_at_1_or_more_is_urgent_whatever_the_total(item9):
    result = run({"phq-9": phq9(item9, item9=item9)})
    assert result.outcome == "urgent-safety"
    assert "phq9-item9" in fired(result)


def test_phq9_item_9_at_0_is_not_urgent_even_at_the_highest_total():
    result = run({"phq-9": phq9(24, item9=0)})
    assert result.outcome != "urgent-safety"
    assert "phq9-item9" not in fired(result)


@pytest.mark.parametrize("yes", [("1",), ("2",), ("2", "3"), ("2", "4"), ("2", "5"), ("6",)])
def test_any_c_ssrs_yes_is_urgent(yes):
    result = run({"c-ssrs-screener": cssrs(*yes)})
    assert result.outcome == "urgent-safety"
    assert "cssrs-any-yes" in fired(result)


def test_a_c_ssrs_with_every_answer_no_is_not_urgent():
    result = run({"c-ssrs-screener": cssrs()})
    assert result.outcome != "urgent-safety"


# Higher level of care: AUDIT zone IV, DAST-10 substantial or severe


def test_an_audit_total_of_20_needs_a_higher_level_of_care_and_19_does_not():
    assert run({"audit": audit_total(20)}).outcome == "higher-level-of-care"
    assert "audit-zone-4" not in fired(run({"audit": audit_total(19)}))


def test_the_who_override_raises_zone_iii_to_iv():
    # Q4 ("not able to stop") at 2 raises zone III to IV - CLINICAL.md §1.4 [R20]
    raised = audit(4, 4, 4, 2, 0, 0, 2)  # total 16, zone III
    assert raised["band"] == "zone-3" and raised["action_zone"] == "zone-4"
    assert run({"audit": raised}).outcome == "higher-level-of-care"
    not_raised = audit(4, 4, 4, 1, 0, 0, 3)  # total 16, Q4 at 1
    assert "audit-zone-4" not in fired(run({"audit": not_raised}))


@pytest.mark.parametrize(
    ("total", "outcome"), [(6, "higher-level-of-care"), (10, "higher-level-of-care")]
)
def test_a_dast_10_of_6_or_more_needs_a_higher_level_of_care(total, outcome):
    result = run({"dast-10": dast10(total)})
    assert result.outcome == outcome
    assert "dast-substantial-or-severe" in fired(result)
    assert "dast-moderate" not in fired(result)


@pytest.mark.parametrize("total", [3, 5])
def test_a_dast_10_of_3_to_5_needs_clinical_review(total):
    result = run({"dast-10": dast10(total)})
    assert result.outcome == "needs-clinical-review"
    assert fired(result) == ["dast-moderate"]


@pytest.mark.parametrize("total", [0, 2])
def test_a_dast_10_below_3_fires_no_drug_rule(total):
    assert fired(run({"dast-10": dast10(total)})) == ["no-clear-indication"]


# Not suitable now: absolute contraindications; needs review: relative cautions and "not sure"

ABSOLUTE = {
    "blood_pressure": "blood-pressure",
    "heart_vascular": "heart-or-vascular-disease",
    "raised_pressure": "raised-intracranial-or-eye-pressure",
    "seizures": "recent-seizures",
    "psychosis_mania": "psychosis-or-mania",
    "pregnancy": "pregnancy-or-breastfeeding",
    "ketamine_misuse": "ketamine-or-pcp-misuse",
    "ketamine_allergy": "ketamine-allergy",
}


def test_every_health_question_has_a_rule():
    assert set(ABSOLUTE) | {"liver"} == {question for question, _ in HEALTH_QUESTIONS}


@pytest.mark.parametrize(("question", "rule"), ABSOLUTE.items())
def test_a_yes_to_an_absolute_contraindication_is_not_suitable_now(question, rule):
    result = run({"phq-9": phq9(15)}, health(**{question: "yes"}), treatment(3))
    assert result.outcome == "not-suitable-now"
    assert fired(result)[0] == rule


@pytest.mark.parametrize("question", ABSOLUTE)
def test_a_no_to_a_contraindication_leaves_a_likely_candidate(question):
    result = run({"phq-9": phq9(15)}, health(**{question: "no"}), treatment(3))
    assert result.outcome == "likely-candidate"


def test_severe_liver_disease_is_a_relative_caution():
    result = run({"phq-9": phq9(15)}, health(liver="yes"), treatment(3))
    assert result.outcome == "needs-clinical-review"
    assert fired(result) == ["severe-liver-disease", "treatment-resistant-symptoms"]


@pytest.mark.parametrize("question", [question for question, _ in HEALTH_QUESTIONS])
def test_not_sure_about_any_health_question_needs_clinical_review(question):
    result = run({"phq-9": phq9(15)}, health(**{question: "not-sure"}), treatment(3))
    assert result.outcome == "needs-clinical-review"
    assert "health-not-sure" in fired(result)


MEDICATION_RULES = {
    "benzodiazepines": "takes-benzodiazepines",
    "opioids": "takes-opioids",
    "stimulants": "takes-stimulants",
    "maois": "takes-maoi",
    "lamotrigine": "takes-lamotrigine",
}


def test_every_medicine_of_note_has_a_rule():
    assert set(MEDICATION_RULES) == {value for value, _ in MEDICATIONS}


@pytest.mark.parametrize(("medication", "rule"), MEDICATION_RULES.items())
def test_a_medicine_of_note_needs_clinical_review(medication, rule):
    result = run({"phq-9": phq9(15)}, health(), treatment(3, "no", medication))
    assert result.outcome == "needs-clinical-review"
    assert fired(result) == [rule, "treatment-resistant-symptoms"]


def test_no_medicine_of_note_leaves_a_likely_candidate():
    assert run({"phq-9": phq9(15)}, health(), treatment(3)).outcome == "likely-candidate"


# Treatment history: >= 2 adequate antidepressant trials - CLINICAL.md §2 [R74a][R74b]


@pytest.mark.parametrize("antidepressants", [0, 1])
def test_symptoms_after_fewer_than_two_trials_need_clinical_review(antidepressants):
    result = run({"phq-9": phq9(10)}, health(), treatment(antidepressants))
    assert result.outcome == "needs-clinical-review"
    assert fired(result) == ["too-few-antidepressant-trials"]


@pytest.mark.parametrize("antidepressants", [2, 3])
def test_phq9_of_10_after_two_or_more_trials_is_a_likely_candidate(antidepressants):
    result = run({"phq-9": phq9(10)}, health(), treatment(antidepressants))
    assert result.outcome == "likely-candidate"
    assert fired(result) == ["treatment-resistant-symptoms"]


def test_phq9_of_9_after_two_trials_is_not_enough():
    result = run({"phq-9": phq9(9), "gad-7": gad7(9)}, health(), treatment(2))
    assert fired(result) == ["no-clear-indication"]


def test_gad7_of_10_after_two_trials_is_a_likely_candidate_and_9_is_not():
    assert run({"gad-7": gad7(10)}, health(), treatment(2)).outcome == "likely-candidate"
    assert fired(run({"gad-7": gad7(9)}, health(), treatment(2))) == ["no-clear-indication"]


def test_gad7_of_10_after_one_trial_needs_clinical_review():
    result = run({"gad-7": gad7(10)}, health(), treatment(1))
    assert fired(result) == ["too-few-antidepressant-trials"]


# Alcohol: AUDIT zone II-III where other treatment was tried


@pytest.mark.parametrize(
    ("total", "therapy", "antidepressants", "likely"),
    [
        (8, "yes", 0, True),  # zone II, therapy tried
        (7, "yes", 0, False),  # zone I
        (15, "no", 1, True),  # zone II, an antidepressant tried
        (16, "yes", 0, True),  # zone III
        (19, "no", 1, True),  # top of zone III
        (12, "no", 0, False),  # zone II, nothing tried
    ],
)
def test_risky_drinking_after_other_treatment_is_a_likely_candidate(
    total, therapy, antidepressants, likely
):
    result = run({"audit": audit_total(total)}, health(), treatment(antidepressants, therapy))
    assert ("risky-drinking-after-other-treatment" in fired(result)) is likely
    assert result.outcome == ("likely-candidate" if likely else "needs-clinical-review")


# Order of outcomes and the fallback


def test_with_nothing_to_go_on_a_clinician_reviews():
    result = run()
    assert result.outcome == "needs-clinical-review"
    assert fired(result) == ["no-clear-indication"]


def test_urgent_safety_outranks_everything_and_every_fired_rule_is_kept_in_order():
    result = run(
        {"phq-9": phq9(20, item9=2), "audit": audit_total(20), "dast-10": dast10(4)},
        health(pregnancy="yes"),
        treatment(3, "yes", "opioids"),
    )
    assert result.outcome == "urgent-safety"
    assert fired(result) == [
        "phq9-item9",
        "audit-zone-4",
        "pregnancy-or-breastfeeding",
        "takes-opioids",
        "dast-moderate",
        "treatment-resistant-symptoms",
    ]
    assert all(rule["text"] and rule["source"] for rule in result.fired)


def test_a_higher_level_of_care_outranks_a_contraindication():
    result = run({"dast-10": dast10(7)}, health(seizures="yes"))
    assert result.outcome == "higher-level-of-care"


def test_a_contraindication_outranks_a_caution():
    result = run({}, health(seizures="yes", liver="not-sure"))
    assert result.outcome == "not-suitable-now"


def test_a_suicide_risk_flag_is_urgent_even_when_a_clinics_rules_forget_it():
    bare = parse_rules(
        {
            "version": "bare",
            "rules": [
                {
                    "id": "x",
                    "outcome": "likely-candidate",
                    "when": {"kind": "otherwise"},
                    "text": "t",
                    "source": "s",
                }
            ],
        }
    )
    assert isinstance(bare, Rules)
    result = triage({"phq-9": phq9(3, item9=1)}, {}, bare)
    assert result.outcome == "urgent-safety"
    assert fired(result) == [SAFETY_FLOOR.id]


def test_a_flag_kept_from_an_answer_since_changed_still_counts():
    # results_for_triage gives a flag-only entry when the questionnaire is no longer scored
    result = run(
        {
            "c-ssrs-screener": {
                "instrument": "c-ssrs-screener",
                "total": None,
                "band": "not-scored",
                "flags": ["suicide-risk"],
            }
        }
    )
    assert result.outcome == "urgent-safety"
