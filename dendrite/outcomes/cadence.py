"""What a patient is asked, and when. Pure, no Django.

A measurement plan is a list of rules: for a condition, an instrument, and how often.

- ``EVERY_VISIT``: before every measured visit (infusion, booster, follow-up) and at
  every check-in; not asked twice for one visit, so an answer given since the previous
  visit counts (issue #15: PHQ-9 and C-SSRS screener before every infusion and follow-up).
- ``EVERY_DAYS``: when ``every_days`` have passed since it was last answered (AUDIT-C and
  PCL-5 monthly), asked at the next visit or check-in.

A patient's conditions come from the chart's diagnoses through ``conditions.json``
(ICD-10-CM code prefixes). A prescriber may change one patient's plan: add an
instrument, remove one, or change its cadence (``Change``).

After the induction series, check-ins at 30, 90 and 180 days (issue #15; the days are
the plan's, clinic-configurable).
"""

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

EVERY_VISIT = "every_visit"
EVERY_DAYS = "every_days"
DIARY = "drinking-diary"  # kept by the patient in the recovery app; listed as due, not sent

# The order a patient answers them in: the depression measure and its safety questions first.
ORDER = ("phq-9", "c-ssrs-screener", "gad-7", "audit-c", "pcl-5", "dast-10", "audit", DIARY)


@dataclass(frozen=True)
class Rule:
    instrument: str
    cadence: str = EVERY_VISIT
    every_days: int | None = None  # with EVERY_DAYS
    condition: str = ""  # "" for an instrument a prescriber added for one patient


@dataclass(frozen=True)
class Change:
    """A prescriber's change to one patient's plan."""

    instrument: str
    removed: bool = False
    cadence: str = EVERY_VISIT
    every_days: int | None = None


@cache
def condition_codes() -> dict[str, tuple[str, ...]]:
    """{condition: ICD-10 prefixes without dots}, from conditions.json."""
    raw = json.loads((Path(__file__).parent / "conditions.json").read_text())
    return {
        name: tuple(_plain(code) for code in entry["icd10"])
        for name, entry in raw.items()
        if not name.startswith("_")
    }


@cache
def condition_labels() -> dict[str, str]:
    raw = json.loads((Path(__file__).parent / "conditions.json").read_text())
    return {name: entry["label"] for name, entry in raw.items() if not name.startswith("_")}


def _plain(code: str) -> str:
    return code.replace(".", "").strip().upper()


def conditions_of(
    codes: Iterable[str], mapping: Mapping[str, Sequence[str]] | None = None
) -> set[str]:
    """The plan conditions the diagnoses name: F32.1 is depression, F43.10 PTSD."""
    mapping = condition_codes() if mapping is None else mapping
    plain = [_plain(code) for code in codes]
    return {
        condition
        for condition, prefixes in mapping.items()
        if any(code.startswith(_plain(prefix)) for code in plain for prefix in prefixes)
    }


def patient_rules(
    plan: Iterable[Rule], conditions: Iterable[str], changes: Iterable[Change] = ()
) -> list[Rule]:
    """One rule per instrument for this patient, in answering order. Two conditions asking
    for the same instrument: the more frequent cadence wins. A change replaces the rule."""
    conditions = set(conditions)
    chosen: dict[str, Rule] = {}
    for rule in plan:
        if rule.condition not in conditions:
            continue
        current = chosen.get(rule.instrument)
        if current is None or _interval(rule) < _interval(current):
            chosen[rule.instrument] = rule
    for change in changes:
        if change.removed:
            chosen.pop(change.instrument, None)
        else:
            chosen[change.instrument] = Rule(change.instrument, change.cadence, change.every_days)
    return sorted(chosen.values(), key=lambda rule: _rank(rule.instrument))


def _interval(rule: Rule) -> int:
    return 0 if rule.cadence == EVERY_VISIT else (rule.every_days or 0)


def _rank(instrument: str) -> int:
    return ORDER.index(instrument) if instrument in ORDER else len(ORDER)


def due(
    rules: Iterable[Rule],
    last_answered: Mapping[str, dt.datetime],
    at: dt.datetime,
    previous_visit: dt.datetime | None = None,
) -> list[str]:
    """The instruments to ask for at `at` (a visit's start or a check-in), given when each
    was last answered and when the previous measured visit began."""
    found = []
    for rule in rules:
        last = last_answered.get(rule.instrument)
        if rule.cadence == EVERY_VISIT:
            # Answered since the previous visit: for this one already (a link, then the tablet).
            if last is None or previous_visit is None or last <= previous_visit:
                found.append(rule.instrument)
        elif last is None or at - last >= dt.timedelta(days=rule.every_days or 0):
            found.append(rule.instrument)
    return found


def check_in_dates(series_end: dt.date, days: Iterable[int]) -> list[tuple[int, dt.date]]:
    """(day, date) of each check-in after the last infusion of the induction series."""
    return [(day, series_end + dt.timedelta(days=day)) for day in sorted(days)]


def check_ins_due(
    series_end: dt.date, days: Iterable[int], today: dt.date, valid_days: int
) -> list[int]:
    """The check-ins whose day has come and that could still be answered (a check-in
    older than its validity is not sent late: it was missed)."""
    return [
        day
        for day, on in check_in_dates(series_end, days)
        if on <= today < on + dt.timedelta(days=valid_days)
    ]
