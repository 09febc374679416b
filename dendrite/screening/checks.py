"""Start-up checks of the clinic's triage rules file: it must load (or nobody gets a
result), it may name only questions, medicines, questionnaires and sub-scores that exist
(a misspelt one would never fire), and it should look at every health question and
medicine the screening asks about (a clinic's copy older than a new question would
leave that answer untriaged)."""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.checks import CheckMessage, Error, register

from dendrite.instruments import loader
from dendrite.instruments.scoring import AUDIT_SUBSCORES, PCL5_CLUSTERS

from .pages import PAGES
from .questions import HEALTH_QUESTIONS, MEDICATIONS
from .triage import Condition, Rules, RulesError, load_rules

TREATMENT_QUESTIONS = ("antidepressants", "therapy", "medications", "other_medications")
SUBSCORES = {"audit": set(AUDIT_SUBSCORES), "pcl-5": set(PCL5_CLUSTERS)}


@register()
def triage_rules_load(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        rules = load_rules(settings.SCREENING_TRIAGE_RULES)
    except RulesError as error:
        return [
            Error(
                str(error),
                hint="Fix the file or point DENDRITE_SCREENING_TRIAGE_RULES at a valid one.",
                id="screening.E001",
            )
        ]
    messages: list[CheckMessage] = []
    if unknown := unknown_names(rules):
        messages.append(
            Error(
                f"{settings.SCREENING_TRIAGE_RULES}: " + "; ".join(unknown),
                hint="A rule that names something the screening does not ask can never fire.",
                id="screening.E002",
            )
        )
    if unused := unused_answers(rules):
        messages.append(
            checks.Warning(
                f"{settings.SCREENING_TRIAGE_RULES}: no rule looks at " + ", ".join(unused),
                hint="The file may be older than these questions: compare it with"
                " dendrite/screening/rules/triage-v2.json.",
                id="screening.W001",
            )
        )
    return messages


def conditions(condition: Condition) -> Iterator[Condition]:
    yield condition
    for part in condition.get("of", ()):
        yield from conditions(part)


def _questions(step: str) -> set[str]:
    if step == "health":
        return {question for question, _ in HEALTH_QUESTIONS}
    if step == "treatment":
        return set(TREATMENT_QUESTIONS)
    return {
        link_id
        for page in PAGES
        if page.step.slug == step and page.instrument
        for link_id in loader.item_order(page.instrument)
    }


def unknown_names(rules: Rules) -> list[str]:
    """Every name in the rules that the screening does not have, as "rule: problem"."""
    instruments = set(loader.instrument_codes())
    medicines = {code for code, _ in MEDICATIONS}
    problems = []
    for rule in rules.rules:
        for c in conditions(rule.when):
            if "instrument" in c and c["instrument"] not in instruments:
                problems.append(f"{rule.id}: no questionnaire '{c['instrument']}'")
            elif "subscore" in c and c["subscore"] not in SUBSCORES.get(c.get("instrument"), ()):
                problems.append(f"{rule.id}: no sub-score '{c['subscore']}'")
            step = c.get("step", "")
            if "question" in c and c["question"] not in _questions(step):
                problems.append(f"{rule.id}: no question '{c['question']}' in '{step}'")
            if "contains" in c and c["contains"] not in medicines:
                problems.append(f"{rule.id}: no medicine '{c['contains']}'")
    return problems


def unused_answers(rules: Rules) -> list[str]:
    """Health questions and medicines that no rule (on or off) names."""
    named = {
        c.get(key)
        for rule in rules.rules
        for c in conditions(rule.when)
        if c.get("step") in ("health", "treatment")
        for key in ("question", "contains")
    }
    asked = [question for question, _ in HEALTH_QUESTIONS] + [code for code, _ in MEDICATIONS]
    return [name for name in asked if name not in named]
