"""Scored questionnaires for the triage tests, made by the real scoring engine."""

from pathlib import Path
from typing import Any

from dendrite.instruments.scoring import score
from dendrite.screening.answers import summary
from dendrite.screening.triage import Rules, load_rules

RULES_FILE = Path(__file__).resolve().parents[1] / "rules" / "triage-v2.json"


def rules() -> Rules:
    return load_rules(RULES_FILE)


def phq9(total: int, item9: int = 0) -> dict[str, Any]:
    """PHQ-9 with this total; item 9 as given, the rest filled from item 1 on."""
    answers, left = [], total - item9
    for _ in range(8):
        answers.append(min(3, left))
        left -= answers[-1]
    assert left == 0, "total out of reach"
    return summary(score("phq-9", [*answers, item9]))


def gad7(total: int) -> dict[str, Any]:
    answers, left = [], total
    for _ in range(7):
        answers.append(min(3, left))
        left -= answers[-1]
    return summary(score("gad-7", answers))


def audit(*points: int) -> dict[str, Any]:
    """AUDIT answers as points for questions 1 to 10 (missing ones 0)."""
    return summary(score("audit", [*points, *[0] * (10 - len(points))]))


def audit_total(total: int) -> dict[str, Any]:
    """An AUDIT total with no WHO override: questions 1-3, then 7 and 8, never 4-6, 9, 10."""
    answers, left = [0] * 10, total
    for index in (0, 1, 2, 6, 7):
        answers[index] = min(4, left)
        left -= answers[index]
    assert left == 0, "total out of reach without the override questions"
    return summary(score("audit", answers))


def dast10(total: int) -> dict[str, Any]:
    """DAST-10 with this total: "yes" to the first items, item 3 (reverse-scored) "yes"
    (0 points) unless all ten points are needed."""
    others = ["1", "2", "4", "5", "6", "7", "8", "9", "10"]
    answers = {link_id: index < total for index, link_id in enumerate(others)}
    answers["3"] = total < 10
    return summary(score("dast-10", answers))


def cssrs(*yes: str) -> dict[str, Any]:
    """C-SSRS screener with "yes" to the given questions, following its skip logic."""
    answers: dict[str, bool | None] = {q: q in yes for q in ("1", "2", "6")}
    if answers["2"]:
        answers |= {q: q in yes for q in ("3", "4", "5")}
    if answers["6"]:
        answers["6a"] = "6a" in yes
    return summary(score("c-ssrs-screener", answers))


def health(**given: str) -> dict[str, str]:
    from dendrite.screening.questions import HEALTH_QUESTIONS

    return {question: given.get(question, "no") for question, _ in HEALTH_QUESTIONS}


def treatment(antidepressants: int = 0, therapy: str = "no", *medications: str) -> dict:
    return {
        "antidepressants": antidepressants,
        "therapy": therapy,
        "medications": list(medications),
        "other_medications": "",
    }
