"""Triage rules at every boundary, both sides, with questionnaires scored by the real engine.

Each case is (results, answers) → the outcome and the rule that must (or must not) fire.
"""

import dataclasses

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


def run(results=None, health_answers=None, treatment_answers=None, with_rules=None):
    answers = {
        "health": health_answers if health_answers is not None else health(),
        "treatment": treatment_answers if treatment_answers is not None else treatment(),
    }
    return triage(results or {}, answers, with_rules or rules())


def turned_on(rule_id: str) -> Rules:
    """The bundled rules with one rule switched on, as a clinic's own copy would have it."""
    bundled = rules()
    assert any(rule.id == rule_id and not rule.enabled for rule in bundled.rules)
    return dataclasses.replace(
        bundled,
        rules=tuple(
            dataclasses.replace(rule, enabled=True) if rule.id == rule_id else rule
            for rule in bundled.rules
        ),
    )


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


# Each health question: a "yes" routes as below, a "no" leaves a likely candidate.
# Not suitable now: absolute contraindications (CLINICAL.md §3.2); needs review: relative
# cautions and clinic-configurable ones; higher level of care: complicated withdrawal (§4).

HEALTH_RULES = {
    "blood_pressure": ("blood-pressure", "not-suitable-now"),
    "heart_vascular": ("heart-or-vascular-disease", "not-suitable-now"),
    "raised_pressure": ("raised-intracranial-or-eye-pressure", "not-suitable-now"),
    "seizures": ("recent-seizures", "not-suitable-now"),
    "psychosis_mania": ("psychosis-or-mania", "not-suitable-now"),
    "pregnancy": ("pregnancy-or-breastfeeding", "not-suitable-now"),
    "ketamine_misuse": ("ketamine-or-pcp-misuse", "not-suitable-now"),
    "ketamine_allergy": ("ketamine-allergy", "not-suitable-now"),
    # §3.2 inability to abstain from alcohol for 24 hours [R66]
    "alcohol_24_hours": ("cannot-go-24-hours-without-alcohol", "not-suitable-now"),
    # §4 complicated withdrawal (seizure, delirium) [R77a][R77b][R76c]
    "alcohol_withdrawal": ("alcohol-withdrawal-history", "higher-level-of-care"),
    # clinic-configurable, a clinician's review by default
    "liver": ("severe-liver-disease", "needs-clinical-review"),
    "hyperthyroidism": ("uncontrolled-hyperthyroidism", "needs-clinical-review"),
    "ketamine_reaction": ("past-bad-reaction-to-ketamine", "needs-clinical-review"),
}


def test_every_health_question_has_a_rule():
    assert set(HEALTH_RULES) == {question for question, _ in HEALTH_QUESTIONS}


@pytest.mark.parametrize(("question", "rule_and_outcome"), HEALTH_RULES.items())
def test_a_yes_to_a_health_question_routes_as_its_rule_says(question, rule_and_outcome):
    rule, outcome = rule_and_outcome
    result = run({"phq-9": phq9(15)}, health(**{question: "yes"}), treatment(3))
    assert result.outcome == outcome
    assert fired(result)[0] == rule


@pytest.mark.parametrize("question", HEALTH_RULES)
def test_a_no_to_a_health_question_leaves_a_likely_candidate(question):
    result = run({"phq-9": phq9(15)}, health(**{question: "no"}), treatment(3))
    assert result.outcome == "likely-candidate"
    assert fired(result) == ["treatment-resistant-depression"]


def test_severe_liver_disease_is_a_relative_caution():
    result = run({"phq-9": phq9(15)}, health(liver="yes"), treatment(3))
    assert result.outcome == "needs-clinical-review"
    assert fired(result) == ["severe-liver-disease", "treatment-resistant-depression"]


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
    assert fired(result) == [rule, "treatment-resistant-depression"]


def test_no_medicine_of_note_leaves_a_likely_candidate():
    assert run({"phq-9": phq9(15)}, health(), treatment(3)).outcome == "likely-candidate"


# Alcohol and the level of care - CLINICAL.md §1.4 [R19][R20], §4 [R77a]


@pytest.mark.parametrize(
    ("points", "dependence", "zone", "fires"),
    [
        ((2, 1, 1, 2, 1, 1), 4, "zone-3", True),  # sub-score 4: possible dependence
        ((2, 1, 1, 0, 0, 4), 4, "zone-3", True),  # a drink first thing every morning
        ((2, 1, 1, 1, 1, 1), 3, "zone-1", False),  # sub-score 3, no answer of 2 or more
        ((2, 1, 1, 3, 0, 0), 3, "zone-2", False),  # sub-score 3: the override raises one zone
        ((4, 4, 4, 4, 4, 4), 12, "zone-4", True),  # the highest sub-score, zone IV as well
    ],
)
def test_the_audit_dependence_items_at_4_or_more_need_a_higher_level_of_care(
    points, dependence, zone, fires
):
    scored = audit(*points)
    assert (scored["subscores"]["dependence"], scored["action_zone"]) == (dependence, zone)
    result = run({"audit": scored}, health(), treatment(3, "yes"))
    assert ("audit-dependence-items" in fired(result)) is fires
    assert (result.outcome == "higher-level-of-care") is (fires or zone == "zone-4")


def test_without_the_full_audit_the_dependence_rule_cannot_fire():
    # AUDIT-C negative: questions 4 to 6 are never asked, so the AUDIT is not scored
    assert "audit-dependence-items" not in fired(run({}, health(), treatment(3)))


@pytest.mark.parametrize(
    ("withdrawal", "outcome"),
    [
        ("yes", "higher-level-of-care"),
        ("not-sure", "needs-clinical-review"),
        ("no", "likely-candidate"),  # risky drinking after other treatment, zone II
    ],
)
def test_a_past_complicated_withdrawal_needs_a_higher_level_of_care_first(withdrawal, outcome):
    result = run({"audit": audit_total(12)}, health(alcohol_withdrawal=withdrawal), treatment(1))
    assert result.outcome == outcome
    assert ("alcohol-withdrawal-history" in fired(result)) is (withdrawal == "yes")


@pytest.mark.parametrize(
    ("unable", "outcome"),
    [
        ("yes", "not-suitable-now"),
        ("not-sure", "needs-clinical-review"),
        ("no", "likely-candidate"),
    ],
)
def test_not_being_able_to_go_24_hours_without_alcohol_is_not_suitable_now(unable, outcome):
    result = run({"audit": audit_total(12)}, health(alcohol_24_hours=unable), treatment(1, "yes"))
    assert result.outcome == outcome
    assert ("cannot-go-24-hours-without-alcohol" in fired(result)) is (unable == "yes")


def test_dependence_outranks_not_going_24_hours_without_alcohol():
    result = run({"audit": audit(2, 1, 1, 2, 1, 1)}, health(alcohol_24_hours="yes"))
    assert result.outcome == "higher-level-of-care"
    assert fired(result)[:2] == ["audit-dependence-items", "cannot-go-24-hours-without-alcohol"]


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
    assert fired(result) == ["treatment-resistant-depression"]


def test_phq9_of_9_after_two_trials_is_not_enough():
    result = run({"phq-9": phq9(9), "gad-7": gad7(9)}, health(), treatment(2))
    assert fired(result) == ["no-clear-indication"]


# Anxiety alone after two antidepressants: no CLINICAL.md source, so off unless a clinic
# turns it on


@pytest.mark.parametrize("phq9_total", [0, 9])
def test_anxiety_alone_after_two_trials_is_not_a_likely_candidate_by_default(phq9_total):
    result = run({"phq-9": phq9(phq9_total), "gad-7": gad7(10)}, health(), treatment(2))
    assert result.outcome == "needs-clinical-review"
    assert fired(result) == ["no-clear-indication"]


@pytest.mark.parametrize(
    ("gad7_total", "antidepressants", "likely"),
    [(10, 2, True), (21, 3, True), (9, 2, False), (10, 1, False)],
)
def test_a_clinic_that_turns_the_anxiety_rule_on_gets_a_likely_candidate(
    gad7_total, antidepressants, likely
):
    on = turned_on("anxiety-after-antidepressants")
    results = {"phq-9": phq9(9), "gad-7": gad7(gad7_total)}
    result = run(results, health(), treatment(antidepressants), with_rules=on)
    assert ("anxiety-after-antidepressants" in fired(result)) is likely
    assert (result.outcome == "likely-candidate") is likely


def test_the_anxiety_rule_turned_on_still_gives_way_to_a_contraindication():
    on = turned_on("anxiety-after-antidepressants")
    result = run({"gad-7": gad7(15)}, health(seizures="yes"), treatment(2), with_rules=on)
    assert result.outcome == "not-suitable-now"
    assert fired(result) == ["recent-seizures", "anxiety-after-antidepressants"]


def test_depression_after_two_trials_is_a_likely_candidate_whatever_the_anxiety():
    result = run({"phq-9": phq9(10), "gad-7": gad7(10)}, health(), treatment(2))
    assert (result.outcome, fired(result)) == (
        "likely-candidate",
        ["treatment-resistant-depression"],
    )


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
        "treatment-resistant-depression",
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
