"""The triage rules file: the bundled v1 is complete and cited; a clinic's own file is
checked at start-up and used when SCREENING_TRIAGE_RULES names it."""

import json

import pytest

from dendrite.instruments import loader
from dendrite.leads.models import Lead, Outcome
from dendrite.screening import actions
from dendrite.screening.checks import triage_rules_load
from dendrite.screening.models import ScreeningSession
from dendrite.screening.questions import HEALTH_QUESTIONS, MEDICATIONS
from dendrite.screening.triage import OUTCOMES, RulesError, load_rules, parse_rules

from .helpers import scores, treatment, walk
from .triage_helpers import RULES_FILE, rules


def conditions(condition):
    yield condition
    for part in condition.get("of", ()):
        yield from conditions(part)


def test_the_bundled_rules_are_versioned_and_every_rule_cites_its_source():
    bundled = rules()
    assert bundled.version == "triage-v2"
    for rule in bundled.rules:
        assert "CLINICAL.md" in rule.source or "clinic-configurable" in rule.source.lower()
        assert rule.text.endswith(".")


def test_the_only_rule_that_ships_off_is_the_unsourced_anxiety_rule_and_says_so():
    off = [rule for rule in rules().rules if not rule.enabled]
    assert [rule.id for rule in off] == ["anxiety-after-antidepressants"]
    assert "Clinic-configurable, OFF by default" in off[0].source
    assert '"enabled": true' in off[0].source  # how a clinic turns it on


def test_the_previous_version_is_kept_readable():
    assert load_rules(RULES_FILE.with_name("triage-v1.json")).version == "triage-v1"


def test_every_contraindication_default_is_marked_for_the_medical_director():
    for rule in rules().rules:
        if rule.when["kind"] == "answer" and rule.when["step"] == "health":
            assert "medical director" in rule.source


def test_the_rules_name_only_questions_instruments_and_bands_that_exist():
    questions = {q for q, _ in HEALTH_QUESTIONS} | {"antidepressants", "therapy", "medications"}
    medications = {m for m, _ in MEDICATIONS}
    for rule in rules().rules:
        for condition in conditions(rule.when):
            if "instrument" in condition:
                assert condition["instrument"] in loader.instrument_codes()
            if "question" in condition:
                assert condition["question"] in questions
            if "contains" in condition:
                assert condition["contains"] in medications
            if condition.get("field") == "action_zone":
                assert set(condition["in"]) <= {"zone-1", "zone-2", "zone-3", "zone-4"}


def test_the_file_lists_the_outcomes_in_the_engines_order():
    data = json.loads(RULES_FILE.read_text())
    assert tuple(data["outcomes"]) == OUTCOMES


def good_rule(**changes):
    return {
        "id": "r",
        "outcome": "likely-candidate",
        "when": {"kind": "otherwise"},
        "text": "t.",
        "source": "s",
    } | changes


@pytest.mark.parametrize(
    ("rules_list", "problem"),
    [
        ([good_rule(outcome="cured")], "the outcome must be one of"),
        ([good_rule(when={"kind": "astrology"})], "needs a kind"),
        ([good_rule(when={"kind": "total"}), good_rule(id="o")], "needs 'instrument'"),
        ([good_rule(when={"kind": "total", "instrument": "phq-9", "at_least": "10"})], "whole"),
        ([good_rule(when={"kind": "all", "of": []})], "non-empty list"),
        ([good_rule(), good_rule()], "unique"),
        ([good_rule(when={"kind": "flag", "flag": "x"})], "exactly one rule"),
        ([good_rule(text="")], "'text' must be a non-empty text"),
        ([good_rule(enabled="no")], "'enabled' must be true or false"),
        ([good_rule(enabled=False)], "the 'otherwise' rule cannot be turned off"),
        (
            [good_rule(when={"kind": "total", "instrument": "audit", "subscore": 4}), good_rule()],
            "'subscore' must be the name",
        ),
    ],
)
def test_a_broken_rules_file_is_refused_with_a_reason(rules_list, problem):
    with pytest.raises(RulesError, match=problem):
        parse_rules({"version": "x", "rules": rules_list})


def test_a_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(RulesError, match="cannot read"):
        load_rules(path)


def test_the_clinics_own_rules_file_is_used(tmp_path, settings):
    data = json.loads(RULES_FILE.read_text())
    data["version"] = "clinic-2"
    path = tmp_path / "clinic.json"
    path.write_text(json.dumps(data))
    settings.SCREENING_TRIAGE_RULES = str(path)
    assert actions.triage_rules().version == "clinic-2"
    assert triage_rules_load() == []


def clinic_copy(tmp_path, settings, change):
    data = json.loads(RULES_FILE.read_text())
    change(data)
    path = tmp_path / f"{data['version']}.json"
    path.write_text(json.dumps(data))
    settings.SCREENING_TRIAGE_RULES = str(path)


def turn_on_anxiety(data):
    data["version"] = "clinic-anxiety-1"
    next(r for r in data["rules"] if r["id"] == "anxiety-after-antidepressants")["enabled"] = True


ANXIOUS = {"mood": scores(9, 1, q9=0), "anxiety": scores(7, 2), "treatment": treatment(2)}


def test_anxiety_alone_gets_a_review_with_the_bundled_rules(client, boston):
    walk(client, boston, **ANXIOUS)  # PHQ-9 8, GAD-7 14, two antidepressants
    assert Lead.objects.get().triage_outcome == Outcome.NEEDS_CLINICAL_REVIEW
    assert ScreeningSession.objects.get().rules_version == "triage-v2"


def test_a_clinic_turns_the_anxiety_rule_on_in_its_own_copy(client, boston, tmp_path, settings):
    clinic_copy(tmp_path, settings, turn_on_anxiety)
    assert triage_rules_load() == []
    walk(client, boston, **ANXIOUS)
    lead = Lead.objects.get()
    assert lead.triage_outcome == Outcome.LIKELY_CANDIDATE
    assert [rule["rule"] for rule in lead.triage_rules] == ["anxiety-after-antidepressants"]
    assert ScreeningSession.objects.get().rules_version == "clinic-anxiety-1"


def test_the_start_up_check_refuses_a_rule_naming_what_the_screening_does_not_ask(
    tmp_path, settings
):
    def misspell(data):
        data["version"] = "clinic-typo"
        rule = next(r for r in data["rules"] if r["id"] == "severe-liver-disease")
        rule["when"]["question"] = "livr"
        rule = next(r for r in data["rules"] if r["id"] == "audit-dependence-items")
        rule["when"]["subscore"] = "dependance"

    clinic_copy(tmp_path, settings, misspell)
    errors = [message for message in triage_rules_load() if message.id == "screening.E002"]
    assert len(errors) == 1
    assert "severe-liver-disease: no question 'livr'" in errors[0].msg
    assert "audit-dependence-items: no sub-score 'dependance'" in errors[0].msg


def test_the_start_up_check_warns_of_a_copy_older_than_the_questions(settings):
    settings.SCREENING_TRIAGE_RULES = str(RULES_FILE.with_name("triage-v1.json"))
    [warning] = triage_rules_load()
    assert warning.id == "screening.W001"
    for question in ("alcohol_withdrawal", "alcohol_24_hours", "hyperthyroidism"):
        assert question in warning.msg


def test_the_bundled_rules_pass_every_start_up_check(settings):
    settings.SCREENING_TRIAGE_RULES = str(RULES_FILE)
    assert triage_rules_load() == []


def test_the_start_up_check_reports_a_broken_rules_file(tmp_path, settings):
    path = tmp_path / "clinic.json"
    path.write_text(json.dumps({"version": "bad", "rules": [good_rule(outcome="cured")]}))
    settings.SCREENING_TRIAGE_RULES = str(path)
    [error] = triage_rules_load()
    assert error.id == "screening.E001"
