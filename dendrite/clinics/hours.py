"""Opening-hours arithmetic, shared by every clock that runs in business time (the
safety-alert escalation, alerts/timing.py; a lead's first response, leads/timing.py).
Pure: no Django. Local times come from the location's IANA time zone, so
daylight-saving changes are handled by zoneinfo.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

Interval = tuple[int, dt.time, dt.time]  # (weekday 0=Monday, opens, closes), local time
Closure = tuple[dt.date, dt.date]  # inclusive

# Look this far ahead for an open day before giving up.
HORIZON_DAYS = 60


def open_days(
    first: dt.date, hours: Iterable[Interval], closures: Iterable[Closure] = ()
) -> Iterator[tuple[dt.date, list[tuple[dt.time, dt.time]]]]:
    """Each open day from `first` on (for HORIZON_DAYS days), with its opening times in
    order. A day is open when it has opening hours and no closure covers it."""
    hours, closures = list(hours), list(closures)
    for offset in range(HORIZON_DAYS):
        day = first + dt.timedelta(days=offset)
        times = sorted(
            (opens, closes) for weekday, opens, closes in hours if weekday == day.weekday()
        )
        if times and not any(start <= day <= end for start, end in closures):
            yield day, times


def after_open_time(
    start: dt.datetime,
    minutes: int,
    tz: ZoneInfo,
    hours: Iterable[Interval],
    closures: Iterable[Closure] = (),
) -> dt.datetime:
    """The moment `minutes` of opening time have passed since `start` (aware; UTC back).
    Without opening hours, wall-clock time; with none open in the horizon, `start`."""
    hours = list(hours)
    remaining = dt.timedelta(minutes=minutes)
    if not hours:
        return start + remaining
    local = start.astimezone(tz)
    for day, times in open_days(local.date(), hours, closures):
        for opens, closes in times:
            begin = max(dt.datetime.combine(day, opens, tzinfo=tz), local)
            end = dt.datetime.combine(day, closes, tzinfo=tz)
            if begin >= end:
                continue
            if end - begin >= remaining:
                return (begin + remaining).astimezone(dt.UTC)
            remaining -= end - begin
    return start


def closing_after_open_days(
    start: dt.datetime,
    days: int,
    tz: ZoneInfo,
    hours: Iterable[Interval],
    closures: Iterable[Closure] = (),
) -> dt.datetime:
    """Closing time of the `days`-th open day after `start`'s own day (aware; UTC back).
    Without opening hours in the horizon, plain calendar days."""
    first = start.astimezone(tz).date() + dt.timedelta(days=1)
    for counted, (day, times) in enumerate(open_days(first, hours, closures), start=1):
        if counted >= days:
            closes = max(closes for _, closes in times)
            return dt.datetime.combine(day, closes, tzinfo=tz).astimezone(dt.UTC)
    return start + dt.timedelta(days=days)
