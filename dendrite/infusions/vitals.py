"""Vital signs at the chair: their codes, what is impossible, what is out of the clinic's
limits, and when the next set is due. Plain data in and out (no Django).

Codes are LOINC with UCUM units (CLINICAL.md §10.1 [C1][C2][C3]), so a reading can be
served as FHIR vital-sign Observations without reshaping (§12.2). Limits are the
clinic's: no stop threshold for IV ketamine is confirmed (CLINICAL.md §3.3, §10.5).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    loinc: str
    ucum: str
    unit_label: str
    low: Decimal  # below this the value is impossible (a typing slip)
    high: Decimal  # above this likewise
    places: int = 0  # decimals shown: whole numbers, but for the temperature


# Plausibility bounds are physical, not clinical: a value outside them is a slip.
MEASURES = {
    m.key: m
    for m in (
        Measure(
            "systolic",
            "Systolic blood pressure",
            "8480-6",
            "mm[Hg]",
            "mmHg",
            Decimal(50),
            Decimal(300),
        ),
        Measure(
            "diastolic",
            "Diastolic blood pressure",
            "8462-4",
            "mm[Hg]",
            "mmHg",
            Decimal(20),
            Decimal(200),
        ),
        Measure(
            "heart_rate",
            "Heart rate",
            "8867-4",
            "/min",
            "beats a minute",
            Decimal(20),
            Decimal(250),
        ),
        Measure("spo2", "Oxygen saturation", "59408-5", "%", "%", Decimal(50), Decimal(100)),
        Measure(
            "resp_rate",
            "Breathing rate",
            "9279-1",
            "/min",
            "breaths a minute",
            Decimal(2),
            Decimal(60),
        ),
        Measure("temperature", "Temperature", "8310-5", "Cel", "°C", Decimal(30), Decimal(44), 1),
    )
}
VITALS_PANEL = "85353-1"
BP_PANEL = "85354-9"
SPO2_CORE = "2708-6"  # US Core asks for both oximetry codes (CLINICAL.md §10.1 [C2])
WEIGHT = Measure("weight", "Body weight", "29463-7", "kg", "kg", Decimal(20), Decimal(350))


def shown(key: str, value: Decimal | None) -> Decimal | None:
    """A stored value as staff read it: 124, not 124.0 (temperature keeps its decimal)."""
    if value is None:
        return None
    step = Decimal(1).scaleb(-MEASURES[key].places)
    return Decimal(str(value)).quantize(step)


def implausible(key: str, value: Decimal) -> str | None:
    """Why a value cannot be a real reading, or None."""
    measure = MEASURES[key]
    if measure.low <= value <= measure.high:
        return None
    return (
        f"{value} {measure.unit_label} cannot be a real {measure.label.lower()}; it must be "
        f"between {measure.low} and {measure.high}. Please measure again."
    )


@dataclass(frozen=True)
class Limits:
    """The clinic's chairside limits (dendrite/settings.py, INFUSION_LIMITS): a reading
    outside them raises a chairside alert to the prescriber on site."""

    systolic_high: int
    systolic_low: int
    diastolic_high: int
    heart_rate_high: int
    heart_rate_low: int
    spo2_low: int
    resp_rate_high: int
    resp_rate_low: int
    temperature_high: Decimal


def out_of_limits(values: dict[str, Decimal | None], limits: Limits) -> list[str]:
    """Each value outside the limits, in words for the nurse and the prescriber."""
    found = []

    def over(key: str, high: Decimal | int | None, low: Decimal | int | None = None) -> None:
        value = values.get(key)
        if value is None:
            return
        measure = MEASURES[key]
        if high is not None and value > high:
            found.append(f"{measure.label} {value} {measure.unit_label} is above {high}")
        if low is not None and value < low:
            found.append(f"{measure.label} {value} {measure.unit_label} is below {low}")

    over("systolic", limits.systolic_high, limits.systolic_low)
    over("diastolic", limits.diastolic_high)
    over("heart_rate", limits.heart_rate_high, limits.heart_rate_low)
    over("spo2", None, limits.spo2_low)
    over("resp_rate", limits.resp_rate_high, limits.resp_rate_low)
    over("temperature", limits.temperature_high)
    return found


def above_hold(systolic: Decimal, diastolic: Decimal, hold: tuple[int, int]) -> bool:
    """Baseline pressure above the clinic's hold limit ("above about 140/90", CLINICAL.md
    §3.3; "> 140/90" in one clinic's rule, §10.5 [C15]): the start waits for a prescriber's
    decision. No limit is confirmed, so the number is the clinic's setting."""
    return systolic > hold[0] or diastolic > hold[1]


# The timer. During the infusion a set is due every `during` minutes after the last
# one (or the start); after it, every `after` minutes (by default 10 and 15, the Emory
# protocol — CLINICAL.md §3.3 [R62]). A set is late once `grace` minutes have passed.

NOT_DUE = "not_due"
DUE = "due"
LATE = "late"


def next_due(
    *, started_at: dt.datetime | None, stopped_at: dt.datetime | None,
    last_taken_at: dt.datetime | None, during: int, after: int,
) -> dt.datetime | None:  # fmt: skip
    """When the next set of vitals is due (None before the start)."""
    if started_at is None:
        return None
    if stopped_at is None:
        since = max(started_at, last_taken_at) if last_taken_at else started_at
        return since + dt.timedelta(minutes=during)
    since = max(stopped_at, last_taken_at) if last_taken_at else stopped_at
    return since + dt.timedelta(minutes=after)


def timer_state(due_at: dt.datetime | None, now: dt.datetime, grace: int) -> str:
    if due_at is None or now < due_at:
        return NOT_DUE
    if now < due_at + dt.timedelta(minutes=grace):
        return DUE
    return LATE


def within_baseline(baseline: Decimal, value: Decimal, percent: int) -> bool:
    """Whether a value is within `percent` % of its baseline (the Aldrete and PADSS
    circulation items use 20 % — CLINICAL.md §10.2 [C4b], §10.3 [C5a])."""
    return abs(value - baseline) * 100 <= baseline * percent
