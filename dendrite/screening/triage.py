"""Candidacy triage of a self-screening. Pure functions, no Django.

The rules are data, not code: a versioned JSON file (``rules/triage-v2.json`` by
default; a clinic points SCREENING_TRIAGE_RULES at its own copy). Each rule has an
id, the outcome it gives, a condition, the plain words shown to the person and the
CLINICAL.md source (or why it is clinic-configurable). A rule with ``"enabled": false``
is checked but never fires: a rule without a source ships that way, for a clinic's
medical director to turn on in the clinic's own copy. This module only knows the few
kinds of condition a rule may use (``CONDITIONS``) and the order of the outcomes.

``triage(results, answers, rules)`` takes

- ``results``: the scored questionnaires by instrument code, as plain dicts
  (``total``, ``band``, ``flags``, ``action_zone``, ``subscores``) made from
  ``dendrite.instruments.scoring.score`` — triage never scores anything itself;
- ``answers``: the screening's own answers by step (``health``, ``treatment``);

and returns every rule that fired and the highest outcome among them. A rules file
must have exactly one ``otherwise`` rule, which fires when nothing else does, so
the outcome is always one of the five.
"""

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dendrite.instruments.scoring import SUICIDE_RISK

# Highest first: the first outcome among the fired rules is the result.
OUTCOMES = (
    "urgent-safety",
    "higher-level-of-care",
    "not-suitable-now",
    "needs-clinical-review",
    "likely-candidate",
)

Results = Mapping[str, Mapping[str, Any]]
Answers = Mapping[str, Mapping[str, Any]]
Condition = Mapping[str, Any]


class RulesError(ValueError):
    """The rules file is not usable; the message lists every problem."""


@dataclass(frozen=True)
class Rule:
    id: str
    outcome: str
    when: Condition
    text: str
    source: str
    enabled: bool = True


@dataclass(frozen=True)
class Rules:
    version: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class TriageResult:
    outcome: str
    fired: tuple[dict[str, str], ...]  # {"rule", "outcome", "text", "source"}, highest first


# Kinds of condition -------------------------------------------------------------------------


def _flag(c: Condition, results: Results, answers: Answers) -> bool:
    """A questionnaire (or any, without ``instrument``) carries the flag."""
    scored = [results.get(c["instrument"], {})] if "instrument" in c else results.values()
    return any(c["flag"] in result.get("flags", ()) for result in scored)


def _in_range(value: Any, c: Condition) -> bool:
    if isinstance(value, bool) or not isinstance(value, int):
        return False
    return c.get("at_least", value) <= value and ("below" not in c or value < c["below"])


def _total(c: Condition, results: Results, answers: Answers) -> bool:
    """The questionnaire was scored and its total (or, with ``subscore``, that sub-score,
    such as the AUDIT's "dependence") is at least ``at_least``, below ``below``."""
    result = results.get(c["instrument"], {})
    if "subscore" in c:
        return _in_range(result.get("subscores", {}).get(c["subscore"]), c)
    return _in_range(result.get("total"), c)


def _band(c: Condition, results: Results, answers: Answers) -> bool:
    """The questionnaire's band (or another field, such as the AUDIT action_zone) is listed."""
    return results.get(c["instrument"], {}).get(c.get("field", "band")) in c["in"]


def _answer(c: Condition, results: Results, answers: Answers) -> bool:
    """One answer is listed (``in``), within a range (``at_least``/``below``) or a list
    of choices holds a value (``contains``)."""
    value = answers.get(c["step"], {}).get(c["question"])
    if "in" in c:
        return value in c["in"]
    if "contains" in c:
        return isinstance(value, list) and c["contains"] in value
    return _in_range(value, c)


def _any_answer(c: Condition, results: Results, answers: Answers) -> bool:
    """Any answer of the step is listed (a "not sure" anywhere in the health history)."""
    return any(value in c["in"] for value in answers.get(c["step"], {}).values())


def _all(c: Condition, results: Results, answers: Answers) -> bool:
    return all(holds(part, results, answers) for part in c["of"])


def _any(c: Condition, results: Results, answers: Answers) -> bool:
    return any(holds(part, results, answers) for part in c["of"])


def _otherwise(c: Condition, results: Results, answers: Answers) -> bool:
    return False  # decided in triage(): fires only when no other rule does


Check = Callable[[Condition, Results, Answers], bool]
# kind -> (function, required parameters)
CONDITIONS: dict[str, tuple[Check, tuple[str, ...]]] = {
    "flag": (_flag, ("flag",)),
    "total": (_total, ("instrument",)),
    "band": (_band, ("instrument", "in")),
    "answer": (_answer, ("step", "question")),
    "any-answer": (_any_answer, ("step", "in")),
    "all": (_all, ("of",)),
    "any": (_any, ("of",)),
    "otherwise": (_otherwise, ()),
}


def holds(condition: Condition, results: Results, answers: Answers) -> bool:
    check, _ = CONDITIONS[condition["kind"]]
    return check(condition, results, answers)


# Triage -------------------------------------------------------------------------------------


# Built in, whatever a clinic's rules file says: a suicide-risk flag (PHQ-9 item 9 >= 1, any
# C-SSRS yes) always gives urgent-safety - CLINICAL.md §6 rules 1 and 2 [R88][R38].
SAFETY_FLOOR = Rule(
    id="safety-floor",
    outcome="urgent-safety",
    when={"kind": "flag", "flag": SUICIDE_RISK},
    text="You told us about thoughts of suicide or of hurting yourself.",
    source="CLINICAL.md §6 rules 1 and 2 [R88][R38] (built in, not configurable)",
)


def triage(results: Results, answers: Answers, rules: Rules) -> TriageResult:
    enabled = [rule for rule in rules.rules if rule.enabled]
    fired = [rule for rule in enabled if holds(rule.when, results, answers)]
    if holds(SAFETY_FLOOR.when, results, answers) and all(
        rule.outcome != "urgent-safety" for rule in fired
    ):
        fired.append(SAFETY_FLOOR)
    if not fired:
        fired = [rule for rule in enabled if rule.when["kind"] == "otherwise"]
    fired.sort(key=lambda rule: OUTCOMES.index(rule.outcome))  # stable: file order within one
    return TriageResult(
        outcome=fired[0].outcome,
        fired=tuple(
            {"rule": r.id, "outcome": r.outcome, "text": r.text, "source": r.source} for r in fired
        ),
    )


# Loading and checking a rules file ----------------------------------------------------------


@functools.cache
def load_rules(path: str | Path) -> Rules:
    """Read and check a rules file (cached per path: restart after editing it)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RulesError(f"{path}: cannot read the rules file ({error})") from None
    return parse_rules(data, name=str(path))


def parse_rules(data: Any, name: str = "rules") -> Rules:
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RulesError(f"{name}: expected an object with a list of rules")
    if not isinstance(data.get("version"), str) or not data["version"]:
        problems.append("the file needs a version")
    rules = []
    for index, raw in enumerate(data["rules"]):
        where = f"rule {index + 1} ({raw.get('id', '?') if isinstance(raw, dict) else '?'})"
        rule_problems = _rule_problems(raw)
        problems += [f"{where}: {problem}" for problem in rule_problems]
        if not rule_problems:
            rules.append(
                Rule(
                    raw["id"],
                    raw["outcome"],
                    raw["when"],
                    raw["text"],
                    raw["source"],
                    enabled=raw.get("enabled", True),
                )
            )
    ids = [rule.id for rule in rules]
    if len(set(ids)) != len(ids):
        problems.append("rule ids must be unique")
    fallbacks = [rule for rule in rules if rule.when["kind"] == "otherwise"]
    if len(fallbacks) != 1 and not problems:
        problems.append("exactly one rule must have the condition kind 'otherwise'")
    if len(fallbacks) == 1 and not fallbacks[0].enabled:
        problems.append("the 'otherwise' rule cannot be turned off")
    if problems:
        raise RulesError(f"{name}: " + "; ".join(problems))
    return Rules(version=data["version"], rules=tuple(rules))


def _rule_problems(raw: Any) -> list[str]:
    if not isinstance(raw, dict):
        return ["a rule must be an object"]
    problems = [
        f"'{key}' must be a non-empty text"
        for key in ("id", "text", "source")
        if not isinstance(raw.get(key), str) or not raw[key].strip()
    ]
    if raw.get("outcome") not in OUTCOMES:
        problems.append(f"the outcome must be one of {', '.join(OUTCOMES)}")
    if not isinstance(raw.get("enabled", True), bool):
        problems.append("'enabled' must be true or false")
    return problems + _condition_problems(raw.get("when"))


def _condition_problems(condition: Any) -> list[str]:
    if not isinstance(condition, dict) or condition.get("kind") not in CONDITIONS:
        return [f"each condition needs a kind, one of {', '.join(CONDITIONS)}"]
    kind = condition["kind"]
    problems = [
        f"a '{kind}' condition needs '{name}'"
        for name in CONDITIONS[kind][1]
        if name not in condition
    ]
    for name in ("at_least", "below"):
        value = condition.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            problems.append(f"'{name}' must be a whole number")
    if "subscore" in condition and not isinstance(condition["subscore"], str):
        problems.append("'subscore' must be the name of a sub-score")
    lists = kind in ("band", "any-answer") or (kind == "answer" and "in" in condition)
    if lists and not isinstance(condition.get("in"), list):
        problems.append(f"'in' of a '{kind}' condition must be a list")
    if kind in ("all", "any"):
        parts = condition.get("of")
        if not isinstance(parts, list) or not parts:
            return [*problems, f"'of' of an '{kind}' condition must be a non-empty list"]
        for part in parts:
            problems += _condition_problems(part)
    return problems
