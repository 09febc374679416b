"""Scoring the instruments exactly as published. Pure functions, no Django.

``score(code, answers)`` checks the answers (answers.py), turns each into its
points using the scores in the definition's JSON, and applies the instrument's
rule. The rules come in a few kinds, one function each:

- ``plain_sum``: add up the points (PHQ-9, PHQ-2, GAD-7, AUDIT, AUDIT-C, DAST-10, PCL-5);
- ``yes_no_points``: a yes/no answer's points, read from the options, where
  DAST-10 item 3 is reverse-scored; weighted options (AUDIT questions 9 and 10
  score 0, 2 or 4) are read from the options the same way;
- ``band_for``: the band whose range holds a total;
- ``sex_specific_cutoff``: the AUDIT-C cut-off for men and for women;
- ``audit_action_zone``: the WHO zone after the override rule;
- ``cssrs_tier``: a risk tier with no total (C-SSRS screener);
- ``pcl5_cluster_rule``: the DSM-5 cluster rule for a provisional PTSD diagnosis.

Every clinical number cites its source in CLINICAL.md (section and [R..] tags).
"""

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from . import loader
from .answers import Problems, ScoringError, Value, read_answers
from .loader import Item

__all__ = ["Band", "ScoreResult", "ScoringError", "score"]


@dataclass(frozen=True)
class ScoreResult:
    """The outcome of one completed instrument. Immutable: safety flags cannot be dropped."""

    instrument: str
    version: str
    total: int | None  # None where the instrument has no total (C-SSRS screener)
    band: str  # lower-case slug
    interpretation: str  # plain words
    action: str  # recommended action
    flags: tuple[str, ...] = ()
    subscores: dict[str, int] = field(default_factory=dict)
    criteria: dict[str, bool] = field(default_factory=dict)  # PCL-5: which rules are met
    recorded: dict[str, str] = field(default_factory=dict)  # unscored answers (PHQ-9 difficulty)
    action_zone: str | None = None  # AUDIT: the WHO zone after the override rule

    def __post_init__(self) -> None:
        # Always a tuple, whatever was passed: nothing may append to or drop a safety flag.
        object.__setattr__(self, "flags", tuple(self.flags))


@dataclass(frozen=True)
class Band:
    lowest: int  # the lowest total in the band; the band runs up to the next band's lowest
    slug: str
    meaning: str
    action: str


@dataclass(frozen=True)
class _Answers:
    code: str
    version: str
    values: Mapping[str, Value]  # answers by linkId, None where not answered
    points: Mapping[str, int]  # points of each scored question
    max_total: int


@dataclass(frozen=True)
class _Options:
    sex: str | None
    pcl5_cutoff: int
    pcl5_band_rule: str


SUICIDE_RISK = "suicide-risk"
SUICIDE_RISK_HIGH = "suicide-risk-high"
# Crisis lines: 988 (call, text or chat) and 911 - CLINICAL.md §6 [R86a][R86c]
_CRISIS_LINES = "the 988 Suicide & Crisis Lifeline (call or text 988, or chat)"


# Kinds of rule ------------------------------------------------------------------------------


def plain_sum(points: Mapping[str, int], link_ids: Iterable[str] | None = None) -> int:
    """The sum of the points, of all questions or of the given ones."""
    if link_ids is None:
        return sum(points.values())
    return sum(points[link_id] for link_id in link_ids)


def yes_no_points(item: Item, answer: bool) -> int:
    """Points for a raw yes/no answer, as the item's options give them.

    DAST-10 item 3 is reverse-scored in its definition: "No" scores 1 and "Yes"
    scores 0 - CLINICAL.md §1.6 [R31][R35]. Callers send what the patient said.
    """
    code = loader.YES if answer else loader.NO
    return next(option.score or 0 for option in item.options if option.code == code)


def question_points(items: Sequence[Item], values: Mapping[str, Value]) -> dict[str, int]:
    """Points of each scored question. An optional skip scores the lowest option (0)."""
    points = {}
    for item in items:
        if not item.is_scored:
            continue
        value = values[item.link_id]
        if value is None:  # skipped: AUDIT skip to question 9 - CLINICAL.md §1.4 [R23]
            points[item.link_id] = min(item.scores)
        elif isinstance(value, bool):
            points[item.link_id] = yes_no_points(item, value)
        else:
            points[item.link_id] = int(value)  # a scored option's value is its score
    return points


def band_for(total: int, bands: Sequence[Band]) -> Band:
    return [band for band in bands if total >= band.lowest][-1]


# AUDIT-C positive at >=4 for men, >=3 for women - CLINICAL.md §1.5 [R25][R28]
AUDIT_C_CUTOFFS = {"male": 4, "female": 3}


def sex_specific_cutoff(sex: str) -> int:
    return AUDIT_C_CUTOFFS[sex]


def audit_action_zone(zone: int, points: Mapping[str, int]) -> int:
    """The WHO override: >=2 on Q4, Q5 or Q6, or 4 on Q9 or Q10, gives the next-highest
    intervention, capped at zone IV - CLINICAL.md §1.4 [R20]."""
    raised = any(points[q] >= 2 for q in ("4", "5", "6")) or any(
        points[q] == 4 for q in ("9", "10")
    )
    return min(zone + 1, 4) if raised else zone


def cssrs_tier(values: Mapping[str, Value]) -> str:
    """C-SSRS screener risk tier; the highest endorsed tier decides - CLINICAL.md §1.7.

    high: Q4 or Q5 yes, or Q6 yes within the past 3 months [R38];
    moderate: Q3 yes, or Q6 yes more than 3 months ago [R39];
    low: Q1 and/or Q2 yes only [R39]; none: no yes.
    """
    yes = {link_id for link_id, value in values.items() if value is True}
    if yes & {"4", "5"} or {"6", "6a"} <= yes:
        return "high"
    if yes & {"3", "6"}:
        return "moderate"
    if yes & {"1", "2"}:
        return "low"
    return "none"


# PCL-5 clusters B 1-5, C 6-7, D 8-14, E 15-20 - CLINICAL.md §1.8 [R47b]
PCL5_CLUSTERS = {
    "B": tuple(str(n) for n in range(1, 6)),
    "C": ("6", "7"),
    "D": tuple(str(n) for n in range(8, 15)),
    "E": tuple(str(n) for n in range(15, 21)),
}
# DSM-5 rule: items rated >=2 count; at least 1 B, 1 C, 2 D, 2 E - CLINICAL.md §1.8 [R47a][R47b]
PCL5_ENDORSED_AT = 2
PCL5_CLUSTER_MINIMUM = {"B": 1, "C": 1, "D": 2, "E": 2}
# Provisional PTSD at a total of 31-33 or more; 33 by default - CLINICAL.md §1.8 [R47a][R47b]
PCL5_DEFAULT_CUTOFF = 33


def pcl5_cluster_rule(points: Mapping[str, int]) -> bool:
    return all(
        sum(points[q] >= PCL5_ENDORSED_AT for q in PCL5_CLUSTERS[cluster]) >= minimum
        for cluster, minimum in PCL5_CLUSTER_MINIMUM.items()
    )


# Instruments --------------------------------------------------------------------------------

_MONITOR = "Monitor; treatment may not be needed."
_JUDGMENT = "Use clinical judgment about treatment."
_TREAT = "Active treatment is warranted."
# PHQ-9 bands 0-4/5-9/10-14/15-19/20-27 - CLINICAL.md §1.1 [R7][R6];
# actions 0-4 monitor, 5-14 clinical judgment, 15-27 active treatment [R6]
PHQ9_BANDS = (
    Band(0, "none-minimal", "none or minimal depression", _MONITOR),
    Band(5, "mild", "mild depression", _JUDGMENT),
    Band(10, "moderate", "moderate depression", _JUDGMENT),
    Band(15, "moderately-severe", "moderately severe depression", _TREAT),
    Band(20, "severe", "severe depression", _TREAT),
)
# Item 9 (44260-8) at 1 or more needs a structured suicide-risk assessment, whatever the
# total - CLINICAL.md §1.1 [R88]; show 988 and 911 - §6 rule 1
PHQ9_SUICIDE_ITEM = "9"
PHQ9_SUICIDE_ITEM_AT = 1


def _phq9(a: _Answers, _: _Options) -> ScoreResult:
    total = plain_sum(a.points)
    band = band_for(total, PHQ9_BANDS)
    interpretation = f"Total {total} of {a.max_total}: {band.meaning}."
    action = band.action
    flags: tuple[str, ...] = ()
    if a.points[PHQ9_SUICIDE_ITEM] >= PHQ9_SUICIDE_ITEM_AT:
        flags = (SUICIDE_RISK,)
        interpretation += (
            " Item 9 (thoughts of being better off dead or of self-harm) was answered above"
            " 'Not at all'."
        )
        action = (
            "Before the encounter ends, complete a structured suicide-risk assessment (such as"
            f" the C-SSRS), whatever the total, and show {_CRISIS_LINES} and 911. {band.action}"
        )
    return _result(a, total, band, interpretation, action, flags)


# PHQ-2 positive at >=3, the authors' best cut point; follow with a PHQ-9 or a clinical
# interview - CLINICAL.md §1.2 [R12] (>=2 is more sensitive [R10])
_NO_FOLLOW_UP = "No follow-up is indicated by this screen alone."
PHQ2_BANDS = (
    Band(0, "negative", "negative depression screen", _NO_FOLLOW_UP),
    Band(
        3,
        "positive",
        "positive depression screen",
        "Follow up with a PHQ-9 or a clinical interview.",
    ),
)


def _phq2(a: _Answers, _: _Options) -> ScoreResult:
    total = plain_sum(a.points)
    band = band_for(total, PHQ2_BANDS)
    return _result(a, total, band, f"Total {total} of {a.max_total}: {band.meaning}.", band.action)


# GAD-7 bands 0-4/5-9/10-14/15-21; >=10 should lead to further evaluation
# - CLINICAL.md §1.3 [R14][R15]
_BELOW_TEN = "Below the cut-off of 10 for further evaluation; use clinical judgment."
_EVALUATE = "Evaluate further for an anxiety disorder."
GAD7_BANDS = (
    Band(0, "minimal", "minimal anxiety", _BELOW_TEN),
    Band(5, "mild", "mild anxiety", _BELOW_TEN),
    Band(10, "moderate", "moderate anxiety", _EVALUATE),
    Band(15, "severe", "severe anxiety", _EVALUATE),
)


def _gad7(a: _Answers, _: _Options) -> ScoreResult:
    total = plain_sum(a.points)
    band = band_for(total, GAD7_BANDS)
    return _result(a, total, band, f"Total {total} of {a.max_total}: {band.meaning}.", band.action)


# AUDIT WHO zones I 0-7, II 8-15, III 16-19, IV 20-40, with their interventions
# - CLINICAL.md §1.4 [R20][R21][R22]
_ADVICE = "Simple advice, with patient education materials."
_COUNSELLING = "Simple advice plus brief counselling and continued monitoring."
_REFERRAL = "Referral to a specialist for diagnostic evaluation and treatment."
AUDIT_ZONES = (
    Band(0, "zone-1", "low-risk drinking", "Alcohol education."),
    Band(8, "zone-2", "hazardous drinking", _ADVICE),
    Band(16, "zone-3", "harmful drinking", _COUNSELLING),
    Band(20, "zone-4", "possible dependence", _REFERRAL),
)
_ROMAN = ("I", "II", "III", "IV")
# Sub-scores: consumption Q1-3, dependence Q4-6, problems Q7-10 - CLINICAL.md §1.4 [R19][R22]
AUDIT_SUBSCORES = {
    "consumption": ("1", "2", "3"),
    "dependence": ("4", "5", "6"),
    "problems": ("7", "8", "9", "10"),
}
# A dependence sub-score of >=4 suggests possible dependence; any score on Q7-10 should be
# followed up - CLINICAL.md §1.4 [R19]
AUDIT_DEPENDENCE_AT = 4


def _audit(a: _Answers, _: _Options) -> ScoreResult:
    total = plain_sum(a.points)
    subscores = {name: plain_sum(a.points, qs) for name, qs in AUDIT_SUBSCORES.items()}
    band = band_for(total, AUDIT_ZONES)
    zone = AUDIT_ZONES.index(band) + 1
    raised = audit_action_zone(zone, a.points)
    notes = [f"Total {total} of {a.max_total}: zone {_ROMAN[zone - 1]}, {band.meaning}."]
    if raised != zone:
        notes.append(
            "A score of 2 or more on question 4, 5 or 6, or 4 on question 9 or 10, raises the"
            f" intervention to that of zone {_ROMAN[raised - 1]}."
        )
    if subscores["dependence"] >= AUDIT_DEPENDENCE_AT:
        notes.append(
            f"A dependence sub-score of {subscores['dependence']} (questions 4 to 6) suggests"
            " possible alcohol dependence."
        )
    if subscores["problems"] > 0:
        notes.append("Answers to questions 7 to 10 (alcohol-related problems) need follow-up.")
    action_zone = AUDIT_ZONES[raised - 1]
    return replace(
        _result(a, total, band, " ".join(notes), action_zone.action),
        subscores=subscores,
        action_zone=action_zone.slug,
    )


_AUDIT_C_PEOPLE = {"male": "men", "female": "women"}


def _audit_c(a: _Answers, options: _Options) -> ScoreResult:
    total = plain_sum(a.points)
    sex = options.sex or ""  # checked by score()
    cutoff = sex_specific_cutoff(sex)
    bands = (
        Band(0, "negative", "negative screen for hazardous drinking", _NO_FOLLOW_UP),
        Band(
            cutoff,
            "positive",
            "positive for hazardous drinking or active alcohol use disorder",
            "A clinician should assess the patient's alcohol use further.",
        ),
    )
    band = band_for(total, bands)
    interpretation = (
        f"Total {total} of {a.max_total}, cut-off {cutoff} for {_AUDIT_C_PEOPLE[sex]}:"
        f" {band.meaning}."
    )
    # All points from Q1 alone (Q2 and Q3 both 0): probably drinking below recommended limits
    # - CLINICAL.md §1.5 [R25]
    if total > 0 and a.points["2"] == 0 and a.points["3"] == 0:
        interpretation += (
            " All the points come from question 1, so the patient is probably drinking below"
            " recommended limits."
        )
    return _result(a, total, band, interpretation, band.action)


# DAST-10 bands 0 none, 1-2 low, 3-5 moderate, 6-8 substantial, 9-10 severe, with actions
# - CLINICAL.md §1.6 [R31][R32]
DAST10_BANDS = (
    Band(0, "none", "no drug-related problems reported", "No action is needed at this time."),
    Band(1, "low", "a low level of drug-related problems", "Monitor and reassess at a later date."),
    Band(3, "moderate", "a moderate level of drug-related problems", "Investigate further."),
    Band(6, "substantial", "a substantial level of drug-related problems", "Intensive assessment."),
    Band(9, "severe", "a severe level of drug-related problems", "Intensive assessment."),
)


def _dast10(a: _Answers, _: _Options) -> ScoreResult:
    total = plain_sum(a.points)
    band = band_for(total, DAST10_BANDS)
    return _result(a, total, band, f"Total {total} of {a.max_total}: {band.meaning}.", band.action)


_CSSRS_ENDORSED = {
    "1": "wish to be dead",
    "2": "thoughts of killing oneself",
    "3": "thinking about a method",
    "4": "some intention of acting on the thoughts",
    "5": "a worked-out plan with intent to carry it out",
}
# Actions: high needs safety precautions until a mental-health professional evaluates; the
# rest need referral to outpatient providers and crisis lines - CLINICAL.md §1.7 [R38], §6
_CSSRS_ACTIONS = {
    "high": (
        "Escalate to staff at once. Keep safety precautions until a mental-health professional"
        " evaluates the patient for possible hospitalisation, and do not leave the patient alone"
        f" if on site. Show {_CRISIS_LINES} and 911; do not rely on self-referral."
    ),
    "moderate": f"Refer to outpatient mental-health providers and show {_CRISIS_LINES}.",
    "low": f"Refer to outpatient mental-health providers and show {_CRISIS_LINES}.",
    "none": "No suicidal ideation or behaviour was endorsed. Keep the crisis link visible.",
}


def _cssrs(a: _Answers, _: _Options) -> ScoreResult:
    tier = cssrs_tier(a.values)
    endorsed = [text for q, text in _CSSRS_ENDORSED.items() if a.values[q] is True]
    if a.values["6"] is True:
        when = "within the past 3 months" if a.values["6a"] else "more than 3 months ago"
        endorsed.append(f"suicidal behaviour {when}")
    flags: tuple[str, ...] = ()
    if endorsed:  # any "yes" flags suicide risk - CLINICAL.md §6 rule 2
        flags = (SUICIDE_RISK, SUICIDE_RISK_HIGH) if tier == "high" else (SUICIDE_RISK,)
    interpretation = (
        f"{tier.capitalize()} suicide risk on the C-SSRS screener. Endorsed: {'; '.join(endorsed)}."
        if endorsed
        else "No suicidal ideation or behaviour endorsed on the C-SSRS screener."
    )
    return ScoreResult(
        instrument=a.code,
        version=a.version,
        total=None,
        band=tier,
        interpretation=interpretation,
        action=_CSSRS_ACTIONS[tier],
        flags=flags,
    )


PCL5_BAND_RULES = {"total": "total-score rule", "clusters": "DSM-5 cluster rule"}
_PROBABLE = Band(
    0,
    "probable-ptsd",
    "provisional PTSD",
    "A provisional result: a clinician should assess for PTSD.",
)
_BELOW = Band(
    0, "below-threshold", "below the threshold for provisional PTSD", "Use clinical judgment."
)


def _pcl5(a: _Answers, options: _Options) -> ScoreResult:
    total = plain_sum(a.points)
    criteria = {
        "total-cutoff": total >= options.pcl5_cutoff,
        "dsm5-clusters": pcl5_cluster_rule(a.points),
    }
    probable = criteria["total-cutoff" if options.pcl5_band_rule == "total" else "dsm5-clusters"]
    band = _PROBABLE if probable else _BELOW
    met = "meets" if criteria["total-cutoff"] else "is below"
    rule = "is met" if criteria["dsm5-clusters"] else "is not met"
    interpretation = (
        f"Total {total} of {a.max_total} {met} the cut-off of {options.pcl5_cutoff}; the DSM-5"
        f" cluster rule {rule}. By the {PCL5_BAND_RULES[options.pcl5_band_rule]}:"
        f" {band.meaning}."
    )
    subscores = {name: plain_sum(a.points, qs) for name, qs in PCL5_CLUSTERS.items()}
    return replace(
        _result(a, total, band, interpretation, band.action),
        subscores=subscores,
        criteria=criteria,
    )


_RULES: dict[str, Callable[[_Answers, _Options], ScoreResult]] = {
    "phq-9": _phq9,
    "phq-2": _phq2,
    "gad-7": _gad7,
    "audit": _audit,
    "audit-c": _audit_c,
    "dast-10": _dast10,
    "c-ssrs-screener": _cssrs,
    "pcl-5": _pcl5,
}


# Entry point --------------------------------------------------------------------------------


def score(
    code: str,
    answers: object,
    *,
    sex: str | None = None,
    pcl5_cutoff: int = PCL5_DEFAULT_CUTOFF,
    pcl5_band_rule: str = "total",
) -> ScoreResult:
    """Score one completed instrument.

    ``answers`` is a list in item order or a dict keyed by linkId (see answers.py).
    ``sex`` ("male" or "female") is needed for the AUDIT-C. ``pcl5_cutoff`` and
    ``pcl5_band_rule`` ("total" or "clusters") choose how the PCL-5 band is set.
    Raises loader.UnknownInstrument for an unknown code, ScoringError for bad input.
    """
    items = loader.questions(code)
    options = _Options(sex, pcl5_cutoff, pcl5_band_rule)
    problems = _option_problems(code, options)
    try:
        values = read_answers(items, answers)
    except ScoringError as error:
        raise ScoringError(
            {**error.errors, **problems.errors}, {**error.codes, **problems.codes}
        ) from None
    problems.raise_if_any()
    scored = _Answers(
        code=code,
        version=loader.version(code),
        values=values,
        points=question_points(items, values),
        max_total=loader.max_total(code),
    )
    result = _RULES[code](scored, options)
    recorded = {
        link_id: str(values[link_id])
        for link_id in _unscored_questions(code)
        if values[link_id] is not None
    }
    return replace(result, recorded=recorded) if recorded else result


@functools.cache
def _unscored_questions(code: str) -> tuple[str, ...]:
    """Questions recorded but never added up (the PHQ-9 difficulty question)."""
    return tuple(
        item.link_id for item in loader.questions(code) if not item.is_scored and not item.is_yes_no
    )


def _option_problems(code: str, options: _Options) -> Problems:
    problems = Problems()
    if code == "audit-c" and options.sex is None:
        problems.add("sex", "missing", "Give the patient's sex (male or female) for the cut-off.")
    elif code == "audit-c" and (
        not isinstance(options.sex, str) or options.sex not in AUDIT_C_CUTOFFS
    ):
        problems.add("sex", "not-an-option", "The AUDIT-C cut-off needs male or female.")
    if code == "pcl-5":
        cutoff, highest = options.pcl5_cutoff, loader.max_total(code)
        if isinstance(cutoff, bool) or not isinstance(cutoff, int):
            problems.add("pcl5_cutoff", "wrong-type", "The cut-off must be a whole number.")
        elif not 1 <= cutoff <= highest:
            problems.add("pcl5_cutoff", "out-of-range", f"The cut-off must be from 1 to {highest}.")
        rule = options.pcl5_band_rule
        if not isinstance(rule, str) or rule not in PCL5_BAND_RULES:
            problems.add("pcl5_band_rule", "not-an-option", "The band rule is total or clusters.")
    return problems


def _result(
    a: _Answers,
    total: int,
    band: Band,
    interpretation: str,
    action: str,
    flags: tuple[str, ...] = (),
) -> ScoreResult:
    return ScoreResult(
        instrument=a.code,
        version=a.version,
        total=total,
        band=band.slug,
        interpretation=interpretation,
        action=action,
        flags=flags,
    )
