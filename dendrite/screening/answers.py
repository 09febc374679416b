"""Recording a page's answers: merge, drop what the skip logic no longer asks, rescore,
and keep every safety flag. Pure, no Django.

Scores always come from ``dendrite.instruments.scoring.score``; this module only
decides which answers to hand it. Answers are stored as the scoring engine takes
them: an option's score (int) for scored questions, True/False for yes/no ones and
the LOINC answer code for the unscored PHQ-9 difficulty question.
"""

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from dendrite.instruments import loader
from dendrite.instruments.answers import is_enabled
from dendrite.instruments.scoring import (
    PHQ9_SUICIDE_ITEM,
    PHQ9_SUICIDE_ITEM_AT,
    ScoreResult,
    ScoringError,
    score,
)

from .pages import PAGES, Page, State, items, safety_required
from .questions import HEALTH_QUESTIONS, MEDICATIONS

# Which step's answers feed which questionnaire, in screening order.
SCORED = (
    ("mood", "phq-9"),
    ("anxiety", "gad-7"),
    ("alcohol", "audit-c"),
    ("alcohol", "audit"),
    ("drugs", "dast-10"),
    ("safety", "c-ssrs-screener"),
)
AUDIT_C_ITEMS = loader.item_order("audit-c")
# The questionnaires that carry safety questions, with their step.
SAFETY_STEPS = (("mood", "phq-9"), ("safety", "c-ssrs-screener"))  # the AUDIT's questions 1-3
# The questionnaires that raise a safety flag, and so are flagged even when half-answered.
SAFETY_INSTRUMENTS = ("phq-9", "c-ssrs-screener")


def record(state: State, page: Page, values: Mapping[str, Any]) -> State:
    """The state after this page's answers; flags only ever grow."""
    answers = {step: dict(given) for step, given in state.answers.items()}
    step = page.step.slug
    if page.instrument is None:
        answers[step] = dict(values)
    else:
        kept = {k: v for k, v in answers.get(step, {}).items() if k not in page.link_ids}
        kept.pop("skipped", None)
        answers[step] = _asked_only(step, kept | dict(values))
    return _rescored(state, answers)


def skip_safety(state: State) -> State:
    """The person chose not to answer the offered C-SSRS. Flags raised before stay, and a
    C-SSRS that is no longer optional (a "yes" was given) cannot be skipped at all."""
    if safety_required(state):
        return state
    answers = {step: dict(given) for step, given in state.answers.items()}
    answers["safety"] = {"skipped": True}
    return _rescored(state, answers)


def is_safety_answer(code: str | None, link_id: str, value: Any) -> bool:
    """An answer that must never be lost: PHQ-9 item 9 above "not at all" (CLINICAL.md §6
    rule 1 [R88]) or any "yes" on the C-SSRS (§6 rule 2 [R38])."""
    if code == "phq-9":
        return link_id == PHQ9_SUICIDE_ITEM and type(value) is int and value >= PHQ9_SUICIDE_ITEM_AT
    return code == "c-ssrs-screener" and value is True


def safety_answers(page: Page, values: Mapping[str, Any]) -> dict[str, Any]:
    """The safety answers among a page's (valid) answers."""
    return {
        link_id: value
        for link_id, value in values.items()
        if link_id in page.link_ids and is_safety_answer(page.instrument, link_id, value)
    }


def keep_safety(state: State, page: Page, values: Mapping[str, Any]) -> State:
    """The state with this page's safety answers stored, whatever becomes of the rest of the
    post: a skip, another question left blank, a page out of turn, a finished screening.
    Only they are stored, merged into the step's answers (a "yes" is not a skip); the flags
    follow, provisional if the questionnaire is unfinished.

    A "yes" to a question the answers no longer ask (posted from an old tab after an
    earlier answer changed) is not stored, so nothing unasked is ever scored, but its
    flag is raised all the same, as if it had been asked."""
    kept = safety_answers(page, values)
    if not kept or page.instrument is None:
        return state
    answers = {step: dict(given) for step, given in state.answers.items()}
    step = page.step.slug
    given = {k: v for k, v in answers.get(step, {}).items() if k != "skipped"}
    answers[step] = _asked_only(step, given | kept)
    state = _rescored(state, answers)
    unasked = {k: v for k, v in kept.items() if k not in answers[step]}
    if not unasked:
        return state
    raised = provisional_flags(page.instrument, _as_if_asked(page.instrument, given | unasked))
    return replace(state, flags=_kept(state.flags, {page.instrument: list(raised)}))


def _as_if_asked(code: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """The answers with every yes/no question that enables an answered one set as it must
    have been for that one to be asked (C-SSRS: question 2 "yes" for 3 to 5, 6 for 6a)."""
    by_id = {item.link_id: item for item in loader.questions(code)}
    assumed = dict(given)
    for link_id in given:
        for when in by_id[link_id].enable_when if link_id in by_id else ():
            if when.operator == "=" and by_id[when.question].is_yes_no:
                assumed[when.question] = when.answer[1] == loader.YES
    return assumed


def _rescored(state: State, answers: dict[str, dict[str, Any]]) -> State:
    sex = answers.get("contact", {}).get("sex")
    results: dict[str, dict[str, Any]] = {}
    for step, code in SCORED:
        given = answers.get(step, {})
        if code == "audit-c":
            given = {k: v for k, v in given.items() if k in AUDIT_C_ITEMS}
        if code == "audit" and results.get("audit-c", {}).get("band") != "positive":
            if step in answers:  # the rest of the AUDIT is asked only after a positive AUDIT-C
                answers[step] = {k: v for k, v in given.items() if k in AUDIT_C_ITEMS}
            continue
        if given and not given.get("skipped") and (result := _score(code, given, sex)):
            results[code] = summary(result)
    raised = {code: list(result["flags"]) for code, result in results.items()}
    for step, code in SCORED:
        given = answers.get(step, {})
        if code in SAFETY_INSTRUMENTS and code not in results and given:
            raised[code] = list(provisional_flags(code, given))
    return replace(state, answers=answers, results=results, flags=_kept(state.flags, raised))


def _score(code: str, given: Mapping[str, Any], sex: str | None) -> ScoreResult | None:
    try:
        return score(code, dict(given), sex=sex)
    except ScoringError:
        return None  # not finished yet


def _asked_only(step: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """Drop answers to questions the skip logic no longer shows (the person changed an
    earlier answer), so a stale answer is never scored."""
    kept = dict(given)
    for page in PAGES:
        if page.step.slug == step and page.instrument is not None:
            shown = {item.link_id for item in items(page, State(answers={step: kept}))}
            kept = {k: v for k, v in kept.items() if k not in page.link_ids or k in shown}
    return kept


def _kept(before: Mapping[str, Any], raised: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Every flag ever raised, by instrument: a later answer never un-flags."""
    codes = set(before) | {code for code, flags in raised.items() if flags}
    return {code: sorted(set(before.get(code, ())) | set(raised.get(code, ()))) for code in codes}


def provisional_flags(code: str, given: Mapping[str, Any]) -> tuple[str, ...]:
    """Flags of a questionnaire answered part-way: the questions still to come are scored
    as their lowest answer ("No"), so these are the least the finished one will carry.

    This is how one "yes" on the first C-SSRS page, or PHQ-9 item 9 on a page with a
    question left blank, raises the alarm at once, through the scoring engine, before the
    rest is answered (CLINICAL.md §6 rules 1 and 2)."""
    items = loader.questions(code)
    by_id = {item.link_id: item for item in items}
    filled = {k: v for k, v in given.items() if k in by_id}
    for item in items:
        if item.link_id in filled or not item.required or not is_enabled(item, filled, by_id):
            continue
        filled[item.link_id] = False if item.is_yes_no else min(item.scores)
    result = _score(code, filled, None)
    return result.flags if result else ()


def lead_answers(state: State) -> dict[str, Any]:
    """Everything the screening collected, for the lead: the chart is built from this."""
    questionnaires = {}
    for step, code in SCORED:
        if code not in state.results:
            continue
        given = state.answers.get(step, {})
        if code == "audit-c":
            given = {k: v for k, v in given.items() if k in AUDIT_C_ITEMS}
        questionnaires[code] = {"version": state.results[code]["version"], "answers": dict(given)}
    health = dict(state.answers.get("health", {}))
    treatment = dict(state.answers.get("treatment", {}))
    return {
        "sex": state.answers.get("contact", {}).get("sex"),
        "questionnaires": questionnaires,
        # The safety questionnaires' answers as given, finished or not: the safety alert
        # shows staff exactly which answer raised it.
        "safety": {
            code: dict(state.answers.get(step, {}))
            for step, code in SAFETY_STEPS
            if state.answers.get(step)
        },
        "health": health,
        "treatment": treatment,
        # In words, for the staff who read the lead (in English, the clinic's language).
        "health_summary": [
            {"question": text, "answer": health[code]}
            for code, text in HEALTH_QUESTIONS
            if code in health
        ],
        "medicines_summary": [
            text for code, text in MEDICATIONS if code in treatment.get("medications", [])
        ],
    }


def summary(result: ScoreResult) -> dict[str, Any]:
    """A scored questionnaire as plain JSON: what triage and the lead need."""
    return {
        "instrument": result.instrument,
        "version": result.version,
        "total": result.total,
        "band": result.band,
        "flags": list(result.flags),
        "action_zone": result.action_zone,
        "subscores": dict(result.subscores),  # the AUDIT's dependence items, for triage
    }


def flags_of(state: State) -> list[str]:
    """Every safety flag raised in this screening, for the lead."""
    return sorted({flag for flags in state.flags.values() for flag in flags})


def results_for_triage(state: State) -> dict[str, dict[str, Any]]:
    """The scored questionnaires with their kept flags (a flag raised by an answer since
    changed still counts), plus flag-only entries for questionnaires no longer scored."""
    merged = {code: dict(result) for code, result in state.results.items()}
    for code, flags in state.flags.items():
        entry = merged.setdefault(code, {"instrument": code, "total": None, "band": "not-scored"})
        entry["flags"] = sorted(set(entry.get("flags", ())) | set(flags))
    return merged


def lead_scores(state: State) -> list[dict[str, Any]]:
    """Instrument, total, band and flags per questionnaire, in screening order."""
    merged = results_for_triage(state)
    order = [code for _, code in SCORED]
    return [
        {key: merged[code][key] for key in ("instrument", "total", "band", "flags")}
        | ({"action_zone": merged[code]["action_zone"]} if merged[code].get("action_zone") else {})
        for code in sorted(merged, key=order.index)
    ]
