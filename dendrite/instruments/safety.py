"""Which answers raised a safety flag, in words, and how urgent they are. Pure, no Django.

A safety alert shows staff exactly what the person said ("PHQ-9 question 9: Nearly every
day") and escalates by tier:

- high: C-SSRS screener question 4 or 5, or suicidal behaviour (question 6) within the
  past 3 months - CLINICAL.md §1.7 triage rules [R38]; §6 rule 2: escalate to staff at
  once, do not rely on self-referral.
- moderate: C-SSRS question 3 (a method, no intent or plan) or behaviour more than 3
  months ago - CLINICAL.md §1.7 [R39]. PHQ-9 question 9 at or above 1 is put here too:
  it needs a structured suicide-risk assessment whatever the total (§1.1 [R88], §6
  rule 1), and without one the risk behind it is unknown.
- low: C-SSRS question 1 and/or 2 only - CLINICAL.md §1.7 [R39].

The highest tier among the reasons decides (§1.7: "the highest endorsed tier decides").
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import loader
from .scoring import PHQ9_SUICIDE_ITEM, PHQ9_SUICIDE_ITEM_AT, SUICIDE_RISK, SUICIDE_RISK_HIGH

HIGH = "high"
MODERATE = "moderate"
LOW = "low"
TIERS = (LOW, MODERATE, HIGH)  # in rising order
TIER_LABELS = {HIGH: "High risk", MODERATE: "Moderate risk", LOW: "Low risk"}

NAMES = {"phq-9": "PHQ-9", "c-ssrs-screener": "C-SSRS screener"}
# The C-SSRS screener's questions and the tier a "yes" to each means - CLINICAL.md §1.7.
CSSRS_TIER = {"1": LOW, "2": LOW, "3": MODERATE, "4": HIGH, "5": HIGH}
CSSRS_BEHAVIOUR = "6"
CSSRS_WHEN = "6a"  # "Was this within the past 3 months?"


@dataclass(frozen=True)
class Reason:
    """One answer that raised the alert, as staff read it."""

    instrument: str  # "PHQ-9"
    number: str  # the question's number on the form, e.g. "9" or "6"
    question: str
    answer: str
    tier: str

    def as_dict(self) -> dict[str, str]:
        return {
            "instrument": self.instrument,
            "number": self.number,
            "question": self.question,
            "answer": self.answer,
            "tier": self.tier,
        }


def reasons(code: str, answers: object) -> list[Reason]:
    """The safety answers among `answers` (as the scoring engine takes them: a list in
    item order or a dict by linkId), in question order. Other questionnaires, unanswered
    questions and answers of the wrong shape give none (the scoring engine is what
    refuses bad input; this only reads it)."""
    if isinstance(answers, list | tuple):
        answers = dict(zip(loader.item_order(code), answers, strict=False))
    if not isinstance(answers, Mapping):
        return []
    if code == "phq-9":
        return _phq9(answers)
    if code == "c-ssrs-screener":
        return _cssrs(answers)
    return []


def _phq9(answers: Mapping[str, Any]) -> list[Reason]:
    value = answers.get(PHQ9_SUICIDE_ITEM)
    if not isinstance(value, int) or isinstance(value, bool) or value < PHQ9_SUICIDE_ITEM_AT:
        return []
    item = loader.get_item("phq-9", PHQ9_SUICIDE_ITEM)
    said = next((o.display for o in item.options if o.score == value), str(value))
    return [Reason(NAMES["phq-9"], PHQ9_SUICIDE_ITEM, item.text, said, MODERATE)]


def _cssrs(answers: Mapping[str, Any]) -> list[Reason]:
    found = []
    for item in loader.questions("c-ssrs-screener"):
        if item.link_id == CSSRS_WHEN or answers.get(item.link_id) is not True:
            continue
        if item.link_id == CSSRS_BEHAVIOUR:
            when = answers.get(CSSRS_WHEN)
            tier = HIGH if when is True else MODERATE
            if when is True:
                said = "Yes, within the past 3 months"
            elif when is False:
                said = "Yes, more than 3 months ago"
            else:
                said = "Yes (when not yet answered)"
        else:
            tier, said = CSSRS_TIER.get(item.link_id, LOW), "Yes"
        found.append(Reason(NAMES["c-ssrs-screener"], item.link_id, item.text, said, tier))
    return found


def tier_of(flags: Iterable[str], found: Iterable[Reason] = ()) -> str:
    """The alert's tier: the highest of its reasons, and never below what the scoring
    engine's flags say (a high-risk flag is high even if its answer was since changed)."""
    flags = set(flags)
    tiers = {reason.tier for reason in found}
    if SUICIDE_RISK_HIGH in flags:
        tiers.add(HIGH)
    elif SUICIDE_RISK in flags and not tiers:
        tiers.add(MODERATE)  # a flag whose answer we cannot see: treat as unknown risk
    return max(tiers, key=TIERS.index) if tiers else LOW


def higher(a: str, b: str) -> str:
    return max(a, b, key=TIERS.index)
