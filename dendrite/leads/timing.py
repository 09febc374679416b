"""When a lead is due its first response. Pure: no Django.

"Within N business days" means by closing time on the N-th open day after the
day the lead arrived, in the location's own time zone: a lead from Friday
morning is due by Monday's close; one from Saturday is due by Monday's close too.
"""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

Interval = tuple[int, dt.time, dt.time]  # (weekday 0=Monday, opens, closes), local time
Closure = tuple[dt.date, dt.date]  # inclusive
HORIZON_DAYS = 60


def first_response_due(
    arrived_at: dt.datetime,
    business_days: int,
    tz: ZoneInfo,
    hours: Iterable[Interval],
    closures: Iterable[Closure] = (),
) -> dt.datetime:
    hours, closures = list(hours), list(closures)
    day = arrived_at.astimezone(tz).date()
    counted = 0
    for _ in range(HORIZON_DAYS):
        day += dt.timedelta(days=1)
        closing = [closes for weekday, _, closes in hours if weekday == day.weekday()]
        if not closing or any(start <= day <= end for start, end in closures):
            continue
        counted += 1
        if counted >= business_days:
            return dt.datetime.combine(day, max(closing), tzinfo=tz).astimezone(dt.UTC)
    # No opening hours recorded: plain calendar days.
    return arrived_at + dt.timedelta(days=business_days)
