"""The triage rules file: the bundled v1 is complete and cited; a clinic's own file is
checked at start-up and used when SCREENING_TRIAGE_RULES names it."""

import json

import pytest

from dendrite.instruments import loader
from dendrite.screening import actions
from dendrite.screening.checks import triage_rules_load
from dendrite.screening.questions import HEALTH_QUESTIONS, MEDICATIONS
from dendrite.screening.triage import OUTCOMES, RulesError, load_rules, parse_rules

from .triage_helpers import RULES_FILE, rules


def conditions(condition):
    yield condition
    for part in condition.get("of", ()):
        yield from conditions(part)


def test_the_bundled_rules_are_versioned_and_every_rule_cites_its_source():
    bundled = rules()
    assert bundled.version == "triage-v1"
    for rule in bundled.rules:
        assert "CLINICAL.md" in rule.source or "clinic-configurable" in rule.source.lower()
        assert rule.text.endswith(".")


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


def test_the_start_up_check_reports_a_broken_rules_file(tmp_path, settings):
    path = tmp_path / "clinic.json"
    path.write_text(json.dumps({"version": "bad", "rules": [good_rule(outcome="cured")]}))
    settings.SCREENING_TRIAGE_RULES = str(path)
    [error] = triage_rules_load()
    assert error.id == "screening.E001"
