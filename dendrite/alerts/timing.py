"""When an unacknowledged safety alert escalates. Pure: no Django.

The clock runs only while the location is open: an alert raised at 17:55 with a
15-minute limit and a 18:00 close escalates ten minutes after opening the next
open day. Local times come from the location's IANA time zone, so daylight-saving
changes are handled by zoneinfo.
"""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

Interval = tuple[int, dt.time, dt.time]  # (weekday 0=Monday, opens, closes), local time
Closure = tuple[dt.date, dt.date]  # inclusive

# Look this far ahead for opening hours before giving up and escalating at once.
HORIZON_DAYS = 60


def escalation_due(
    raised_at: dt.datetime,
    minutes: int,
    tz: ZoneInfo,
    hours: Iterable[Interval],
    closures: Iterable[Closure] = (),
) -> dt.datetime:
    """The moment `minutes` of opening time have passed since `raised_at` (aware, UTC)."""
    hours, closures = list(hours), list(closures)
    remaining = dt.timedelta(minutes=minutes)
    if not hours:
        return raised_at + remaining  # no opening hours recorded: count wall-clock time
    local = raised_at.astimezone(tz)
    for offset in range(HORIZON_DAYS):
        day = local.date() + dt.timedelta(days=offset)
        if any(start <= day <= end for start, end in closures):
            continue
        for _, opens, closes in sorted(h for h in hours if h[0] == day.weekday()):
            start = max(dt.datetime.combine(day, opens, tzinfo=tz), local)
            end = dt.datetime.combine(day, closes, tzinfo=tz)
            if start >= end:
                continue
            if end - start >= remaining:
                return (start + remaining).astimezone(dt.UTC)
            remaining -= end - start
    return raised_at
