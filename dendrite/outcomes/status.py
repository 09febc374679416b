"""Where a patient stands on one instrument: baseline, latest, change, response,
remission, and the booster signal. Pure: plain data in, plain data out, no Django.
The status comes back as codes and numbers (``Part``); outcomes.labels words it in the
reader's language.

Every function takes the patient's scores oldest first (as the database returns them)
and reads them once: O(number of the patient's responses).

Definitions - CLINICAL.md §2: response is a drop of 50 % or more from baseline [R49][R50];
remission on the PHQ-9 is a total below 5 [R49]; the minimal clinically important change
on the PHQ-9 is 5 points [R8]. Definitions vary (§2 on MADRS, §11.2 on boosters: no
published booster threshold), so every number here is a clinic setting with these
defaults (outcomes.models.OutcomeSettings).
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    at: dt.datetime
    score: int


@dataclass(frozen=True)
class Thresholds:
    # Response: >= 50 % below baseline - CLINICAL.md §2 [R49][R50]
    response_percent: int = 50
    # Remission: PHQ-9 < 5 - CLINICAL.md §2 [R49]; None where the instrument has none
    remission_below: int | None = None
    # Minimal clinically important change: 5 PHQ-9 points - CLINICAL.md §2 [R8]
    mcid_points: int | None = None


# The PHQ-9's own numbers, the defaults of a clinic's settings - CLINICAL.md §2.
PHQ9 = Thresholds(response_percent=50, remission_below=5, mcid_points=5)


# The parts of a clinical status, worded by outcomes.labels.
NO_SCORES = "no-scores"
REMISSION = "remission"
NO_CHANGE_YET = "no-change-yet"  # one score, or no baseline to compare with
RESPONSE = "response"  # percent: below baseline
NOT_YET_ZERO_BASELINE = "not-yet-zero-baseline"
NOT_YET_BELOW = "not-yet-below"  # percent: below baseline
NOT_YET_ABOVE = "not-yet-above"  # percent: above baseline
NOT_YET_UNCHANGED = "not-yet-unchanged"


@dataclass(frozen=True)
class Part:
    code: str
    percent: int | None = None


@dataclass(frozen=True)
class Status:
    baseline: Point | None
    baseline_missing: str  # why there is no baseline: NO_INFUSION, NO_SCORE_BEFORE or ""
    latest: Point | None
    change: int | None  # latest minus baseline: negative is better
    percent_below: int | None  # whole per cent below baseline (negative: above), rounded down
    response: bool
    remission: bool | None  # None: the instrument has no remission threshold
    meaningful: bool | None  # a change of at least the minimal important change
    summary: tuple[Part, ...]  # the clinical status, in order ("Remission · Response: ...")


NO_INFUSION = "no-infusion"
NO_SCORE_BEFORE = "no-score-before"


def is_response(baseline: int, score: int, percent: int) -> bool:
    """`score` at least `percent` % below `baseline` (exactly 50 % counts). In whole
    numbers, so 10 of 20 is exactly half; a baseline of 0 cannot fall by half."""
    return baseline > 0 and score * 100 <= baseline * (100 - percent)


def is_remission(score: int, below: int | None) -> bool | None:
    return None if below is None else score < below


def status(
    points: Sequence[Point], first_infusion: dt.datetime | None, thresholds: Thresholds
) -> Status:
    """The baseline is the last score before the first infusion."""
    baseline = _baseline(points, first_infusion)
    latest = points[-1] if points else None
    missing = "" if baseline else (NO_INFUSION if first_infusion is None else NO_SCORE_BEFORE)
    if latest is None:
        return Status(None, missing, None, None, None, False, None, None, (Part(NO_SCORES),))
    remission = is_remission(latest.score, thresholds.remission_below)
    if baseline is None or baseline == latest:
        summary = (Part(REMISSION) if remission else Part(NO_CHANGE_YET),)
        return Status(baseline, missing, latest, None, None, False, remission, None, summary)
    change = latest.score - baseline.score
    percent = (-change * 100) // baseline.score if baseline.score else None
    if percent is not None and percent < 0:
        percent = -((change * 100) // baseline.score)  # round the rise down too
    response = is_response(baseline.score, latest.score, thresholds.response_percent)
    meaningful = None if thresholds.mcid_points is None else abs(change) >= thresholds.mcid_points
    return Status(
        baseline,
        "",
        latest,
        change,
        percent,
        response,
        remission,
        meaningful,
        _summary(response, remission, percent),
    )


def _baseline(points: Iterable[Point], first_infusion: dt.datetime | None) -> Point | None:
    if first_infusion is None:
        return None
    baseline = None
    for point in points:
        if point.at >= first_infusion:
            break
        baseline = point
    return baseline


def _summary(response: bool, remission: bool | None, percent: int | None) -> tuple[Part, ...]:
    parts = [Part(REMISSION)] if remission else []
    if response:
        parts.append(Part(RESPONSE, percent))
    elif percent is None:
        parts.append(Part(NOT_YET_ZERO_BASELINE))
    elif percent > 0:
        parts.append(Part(NOT_YET_BELOW, percent))
    elif percent < 0:
        parts.append(Part(NOT_YET_ABOVE, -percent))
    else:
        parts.append(Part(NOT_YET_UNCHANGED))
    return tuple(parts)


# The booster signal ---------------------------------------------------------------------


@dataclass(frozen=True)
class BoosterRule:
    """No published booster threshold exists (CLINICAL.md §11.2): these defaults are the
    clinic-configurable example of issue #15 (a rise of 5 points, the PHQ-9's minimal
    important change, §2 [R8], or back to 10, the start of moderate depression, §1.1)."""

    rise_points: int = 5
    back_to: int = 10
    in_a_row: int = 2


@dataclass(frozen=True)
class BoosterSignal:
    episode_start: Point  # the first score at response or remission: names the episode
    lowest: Point  # the lowest score of the episode before the rise
    rising: tuple[Point, ...]  # the measurements in a row that met the rule


def booster_signal(
    points: Sequence[Point],
    first_infusion: dt.datetime | None,
    thresholds: Thresholds,
    rule: BoosterRule,
) -> BoosterSignal | None:
    """The current episode's signal, or None. An episode starts at the first score after
    the first infusion at response or remission, and ends when `rule.in_a_row` scores in
    a row rise `rule.rise_points` above its lowest score or reach `rule.back_to`. A later
    response starts a new episode; only the latest episode's signal is returned, so an
    old relapse the patient has recovered from asks for nothing."""
    if first_infusion is None:
        return None
    baseline = _baseline(points, first_infusion)
    start: Point | None = None
    lowest: Point | None = None
    rising: list[Point] = []
    signal = None
    for point in points:
        if point.at < first_infusion:
            continue
        if start is None or lowest is None:
            if _better(point, baseline, thresholds):
                start, lowest, rising, signal = point, point, [], None
            continue
        if point.score - lowest.score >= rule.rise_points or point.score >= rule.back_to:
            rising.append(point)
            if len(rising) >= rule.in_a_row:
                signal = BoosterSignal(start, lowest, tuple(rising))
                start, lowest, rising = None, None, []
        else:
            rising = []
            if point.score < lowest.score:
                lowest = point
    return signal


def _better(point: Point, baseline: Point | None, thresholds: Thresholds) -> bool:
    if is_remission(point.score, thresholds.remission_below):
        return True
    return baseline is not None and is_response(
        baseline.score, point.score, thresholds.response_percent
    )
