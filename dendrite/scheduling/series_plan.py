"""Choosing the times of an induction series from the free slots. Pure.

The protocol (SeriesProtocol, CLINICAL.md §3.3: commonly 6 infusions over about 3
weeks) sets how many infusions, the least time from one start to the next, and the
most time from the first to the last.

The plan is greedy and earliest-first, which is what makes it feasible whenever any
plan is: each infusion goes on the earliest day that respects the gap after the one
before, and on that day at the free time closest to the preferred time of day (the
first infusion's, unless one is asked for) — so patients keep a routine. If a start
cannot be completed within the span, the next candidate first infusion is tried.
"""

import datetime as dt
import itertools
from bisect import bisect_left
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from .slots import Slot


def _minutes_from(moment: dt.datetime, preferred: dt.time, tz: ZoneInfo) -> int:
    local = moment.astimezone(tz)
    return abs(local.hour * 60 + local.minute - (preferred.hour * 60 + preferred.minute))


def _best_on_first_day(
    slots: Sequence[Slot], index: int, preferred: dt.time | None, tz: ZoneInfo
) -> Slot:
    """From slots[index] on, the one on the same local day nearest the preferred time."""
    day = slots[index].start.astimezone(tz).date()
    same_day = []
    for slot in slots[index:]:
        if slot.start.astimezone(tz).date() != day:
            break
        same_day.append(slot)
    if preferred is None:
        return same_day[0]
    return min(same_day, key=lambda slot: (_minutes_from(slot.start, preferred, tz), slot.start))


def _complete(
    slots: Sequence[Slot],
    starts: Sequence[dt.datetime],
    first: Slot,
    *,
    count: int,
    gap: dt.timedelta,
    span: dt.timedelta,
    tz: ZoneInfo,
    preferred: dt.time | None,
) -> list[Slot] | None:
    preferred = preferred or first.start.astimezone(tz).time()
    picks = [first]
    while len(picks) < count:
        index = bisect_left(starts, picks[-1].start + gap)
        if index == len(slots):
            return None
        pick = _best_on_first_day(slots, index, preferred, tz)
        if pick.start - first.start > span:
            return None
        picks.append(pick)
    return picks


def plan(
    slots: Sequence[Slot],
    *,
    count: int,
    min_gap: dt.timedelta,
    span: dt.timedelta,
    tz: ZoneInfo,
    preferred_time: dt.time | None = None,
    visit: dt.timedelta = dt.timedelta(0),
) -> list[Slot] | None:
    """`count` slots, each at least `min_gap` (and one visit) after the one before, all
    within `span` of the first; None when the free slots allow no such series."""
    if count < 1:
        return []
    ordered = sorted(slots)
    starts = [slot.start for slot in ordered]
    gap = max(min_gap, visit)
    tried_days: set[dt.date] = set()
    for index, slot in enumerate(ordered):
        day = slot.start.astimezone(tz).date()
        if day not in tried_days:
            # Each day's best first time first (nearest the preferred time), then the rest.
            tried_days.add(day)
            first = _best_on_first_day(ordered, index, preferred_time, tz)
            picks = _complete(
                ordered, starts, first, count=count, gap=gap, span=span, tz=tz,
                preferred=preferred_time,
            )  # fmt: skip
            if picks is not None:
                return picks
        if preferred_time is None:
            continue
        picks = _complete(
            ordered, starts, slot, count=count, gap=gap, span=span, tz=tz,
            preferred=preferred_time,
        )  # fmt: skip
        if picks is not None:
            return picks
    return None


def check(
    starts: Sequence[dt.datetime],
    *,
    count: int,
    min_gap: dt.timedelta,
    span: dt.timedelta,
    visit: dt.timedelta = dt.timedelta(0),
) -> str | None:
    """Why these start times break the protocol, in words for staff; None if they don't."""
    ordered = sorted(starts)
    if len(ordered) != count:
        return f"A series has {count} infusions; {len(ordered)} times were given."
    gap = max(min_gap, visit)
    hours = int(gap.total_seconds() // 3600)
    for before, after in itertools.pairwise(ordered):
        if after - before < gap:
            return f"Two infusions of the series are less than {hours} hours apart."
    if ordered and ordered[-1] - ordered[0] > span:
        return f"The series would take longer than {span.days} days from first to last."
    return None
