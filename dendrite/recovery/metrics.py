"""Drinking metrics from the raw days: per week and per month, and lapse and relapse
under the clinic's own definition. Pure module: plain data in, plain data out.

`days` maps a date to the standard drinks of that day, for the days with data only.
A day without data is unknown: it is neither abstinent nor drinking. Averages are over
the days with data (drinks per week = drinks on the recorded days ÷ recorded days × 7;
% days abstinent = abstinent days ÷ recorded days), and each period says how many days
had no data so that a reader can judge how far to trust it.
"""

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

Days = Mapping[dt.date, Decimal]

# A heavy drinking day is 5 or more drinks for men, 4 or more for women — NIAAA,
# CLINICAL.md §2 [R54][R73a]. NIAAA gives no figure for other sexes; the lower one is
# used so that no heavy day goes unseen.
HEAVY_MEN = 5
HEAVY_WOMEN = 4


def heavy_threshold(sex: str) -> int:
    return HEAVY_MEN if sex == "male" else HEAVY_WOMEN


@dataclass(frozen=True)
class Definition:
    """Lapse and relapse as the clinic defines them. Research definitions vary widely
    (CLINICAL.md §2, Maisto 2016), so these defaults are clinic-configurable, not sourced:
    a lapse is a drinking day after at least `abstinent_days` recorded abstinent days in
    a row; a relapse is `heavy_days` heavy drinking days within `window_days` days. A
    relapse episode ends once `abstinent_days` recorded abstinent days follow it."""

    abstinent_days: int = 7
    heavy_days: int = 3
    window_days: int = 14


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    days_with_data: int
    days_without_data: int
    drinks: Decimal
    heavy_days: int
    abstinent_days: int

    @property
    def drinks_per_week(self) -> Decimal | None:
        if not self.days_with_data:
            return None
        return _one_place(self.drinks * 7 / self.days_with_data)

    @property
    def percent_abstinent(self) -> Decimal | None:
        if not self.days_with_data:
            return None
        return _one_place(Decimal(self.abstinent_days) * 100 / self.days_with_data)


def _one_place(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), ROUND_HALF_UP)


def summarize(days: Days, start: dt.date, end: dt.date, threshold: int) -> Period:
    recorded = [drinks for day, drinks in days.items() if start <= day <= end]
    length = (end - start).days + 1
    return Period(
        start=start,
        end=end,
        days_with_data=len(recorded),
        days_without_data=length - len(recorded),
        drinks=sum(recorded, Decimal(0)),
        heavy_days=sum(1 for drinks in recorded if drinks >= threshold),
        abstinent_days=sum(1 for drinks in recorded if drinks == 0),
    )


def weeks(days: Days, until: dt.date, count: int, threshold: int) -> list[Period]:
    """The last `count` weeks (Monday to Sunday) up to the week holding `until`, newest
    first; the current week stops at `until`."""
    monday = until - dt.timedelta(days=until.weekday())
    found = []
    for back in range(count):
        start = monday - dt.timedelta(weeks=back)
        end = min(start + dt.timedelta(days=6), until)
        found.append(summarize(days, start, end, threshold))
    return found


def months(days: Days, until: dt.date, count: int, threshold: int) -> list[Period]:
    """The last `count` calendar months up to `until`'s, newest first."""
    found = []
    year, month = until.year, until.month
    for _ in range(count):
        start = dt.date(year, month, 1)
        end = min(dt.date(year, month, calendar.monthrange(year, month)[1]), until)
        found.append(summarize(days, start, end, threshold))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found


def lapses(days: Days, definition: Definition) -> list[dt.date]:
    """Each drinking day that follows at least `abstinent_days` recorded abstinent days
    in a row (a day without data breaks the run: it is unknown)."""
    found = []
    run, previous = 0, None
    for day in sorted(days):
        if previous is not None and (day - previous).days > 1:
            run = 0
        if days[day] == 0:
            run += 1
        else:
            if run >= definition.abstinent_days:
                found.append(day)
            run = 0
        previous = day
    return found


def relapses(days: Days, threshold: int, definition: Definition) -> list[dt.date]:
    """The day each relapse episode began: the heavy day that brought the count of heavy
    days within `window_days` to `heavy_days`. A new episode can begin only after
    `abstinent_days` recorded abstinent days in a row have ended the last one."""
    found: list[dt.date] = []
    heavy: list[dt.date] = []
    in_episode, run, previous = False, 0, None
    for day in sorted(days):
        if previous is not None and (day - previous).days > 1:
            run = 0
        previous = day
        if days[day] == 0:
            run += 1
            if in_episode and run >= definition.abstinent_days:
                in_episode, heavy = False, []
            continue
        run = 0
        if in_episode or days[day] < threshold:
            continue
        heavy = [d for d in heavy if (day - d).days < definition.window_days] + [day]
        if len(heavy) >= definition.heavy_days:
            found.append(day)
            in_episode = True
    return found


@dataclass(frozen=True)
class Status:
    last_lapse: dt.date | None
    relapse_since: dt.date | None  # the start of an episode not yet ended
    last_relapse: dt.date | None


def status(days: Days, threshold: int, definition: Definition) -> Status:
    found = relapses(days, threshold, definition)
    found_lapses = lapses(days, definition)
    last = found[-1] if found else None
    ongoing = None
    if last is not None:
        after = {day: drinks for day, drinks in days.items() if day > last}
        ended = _abstinent_run(after) >= definition.abstinent_days
        ongoing = None if ended else last
    return Status(
        last_lapse=found_lapses[-1] if found_lapses else None,
        relapse_since=ongoing,
        last_relapse=last,
    )


def _abstinent_run(days: Days) -> int:
    """The longest run of recorded abstinent days in a row."""
    best = run = 0
    previous = None
    for day in sorted(days):
        if previous is not None and (day - previous).days > 1:
            run = 0
        run = run + 1 if days[day] == 0 else 0
        best = max(best, run)
        previous = day
    return best
