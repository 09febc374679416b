"""Free start times for a visit, from when each resource works and when it is busy.

Pure: plain datetimes in, plain slots out (no Django). availability.py loads the
intervals from the database; this module only decides.

All instants are aware datetimes. Candidate start times step through each opening
interval in the location's *wall-clock* time (08:00, 08:15, …), so a daylight-saving
change moves the UTC instants, not the times people see; a local time that does not
exist (the spring-forward gap) is skipped.
"""

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

UTC = dt.UTC


@dataclass(frozen=True, slots=True, order=True)
class Interval:
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True, slots=True, order=True)
class Slot:
    """A start time with the staff member and chair (if any) free for the whole visit."""

    start: dt.datetime
    staff_id: int
    chair_id: int | None = None


def merged(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with overlapping or touching intervals joined."""
    out: list[Interval] = []
    for interval in sorted(intervals):
        if out and interval.start <= out[-1].end:
            if interval.end > out[-1].end:
                out[-1] = Interval(out[-1].start, interval.end)
        else:
            out.append(interval)
    return out


def is_free(busy: Sequence[Interval], start: dt.datetime, end: dt.datetime) -> bool:
    """No interval of `busy` (merged) overlaps [start, end)."""
    index = bisect_right(busy, Interval(end, end)) - 1
    # The last interval starting before `end` is the only one that can reach past `start`.
    while index >= 0 and busy[index].start >= end:
        index -= 1
    return index < 0 or busy[index].end <= start


def covers(windows: Sequence[Interval], start: dt.datetime, end: dt.datetime) -> bool:
    """One interval of `windows` (merged) holds all of [start, end)."""
    index = bisect_right(windows, Interval(start, dt.datetime.max.replace(tzinfo=UTC))) - 1
    return index >= 0 and windows[index].start <= start and windows[index].end >= end


def local_interval(day: dt.date, opens: dt.time, closes: dt.time, tz: ZoneInfo) -> Interval:
    return Interval(
        dt.datetime.combine(day, opens, tzinfo=tz).astimezone(UTC),
        dt.datetime.combine(day, closes, tzinfo=tz).astimezone(UTC),
    )


def exists_locally(moment: dt.datetime) -> bool:
    """False for a wall-clock time in the spring-forward gap (02:30 on the change day)."""
    round_trip = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return round_trip.replace(tzinfo=None) == moment.replace(tzinfo=None)


def wall_clock_starts(
    day: dt.date, opens: dt.time, closes: dt.time, tz: ZoneInfo, step: dt.timedelta
) -> Iterator[dt.datetime]:
    """Every `step` from `opens` up to (not including) `closes`, as UTC instants."""
    moment = dt.datetime.combine(day, opens)
    end = dt.datetime.combine(day, closes)
    while moment < end:
        local = moment.replace(tzinfo=tz)
        if exists_locally(local):
            yield local.astimezone(UTC)
        moment += step


@dataclass
class Resources:
    """What one location offers for one appointment type over a stretch of days."""

    opening: list[Interval]  # merged, UTC
    staff_windows: Mapping[int, list[Interval]]  # staff id → when they work there (merged)
    staff_busy: Mapping[int, list[Interval]]  # staff id → appointments and time off (merged)
    chair_busy: Mapping[int, list[Interval]] | None  # chair id → busy; None: no chair needed
    patient_busy: list[Interval] = field(default_factory=list)


def slot_at(
    resources: Resources, start: dt.datetime, staff_time: dt.timedelta, visit: dt.timedelta
) -> Slot | str:
    """The first free staff member and chair for a visit at `start`, or why there is none."""
    visit_end, staff_end = start + visit, start + staff_time
    if not covers(resources.opening, start, visit_end):
        return (
            "That time is outside the location's opening hours (or on a day it is closed): "
            "the whole visit, recovery included, has to fit before closing."
        )
    if not is_free(resources.patient_busy, start, visit_end):
        return "The patient already has an appointment at that time."
    staff_id = next(
        (
            staff_id
            for staff_id, windows in resources.staff_windows.items()
            if covers(windows, start, staff_end)
            and is_free(resources.staff_busy.get(staff_id, []), start, staff_end)
        ),
        None,
    )
    if staff_id is None:
        return "Nobody who can see the patient for this visit is free at that time."
    if resources.chair_busy is None:
        return Slot(start, staff_id)
    chair_id = next(
        (chair for chair, busy in resources.chair_busy.items() if is_free(busy, start, visit_end)),
        None,
    )
    if chair_id is None:
        return "Every chair is taken at that time."
    return Slot(start, staff_id, chair_id)


def free_slots(
    resources: Resources,
    starts: Iterable[dt.datetime],
    staff_time: dt.timedelta,
    visit: dt.timedelta,
) -> list[Slot]:
    """The candidate starts at which the whole visit can be booked, in order."""
    found = (slot_at(resources, start, staff_time, visit) for start in starts)
    return [slot for slot in found if isinstance(slot, Slot)]
