"""When a lead is due its first response. Pure: no Django.

"Within N business days" means by closing time on the N-th open day after the
day the lead arrived, in the location's own time zone: a lead from Friday
morning is due by Monday's close; one from Saturday is due by Monday's close too.
The arithmetic is the clinics' (clinics/hours.py).
"""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from dendrite.clinics.hours import Closure, Interval, closing_after_open_days


def first_response_due(
    arrived_at: dt.datetime,
    business_days: int,
    tz: ZoneInfo,
    hours: Iterable[Interval],
    closures: Iterable[Closure] = (),
) -> dt.datetime:
    return closing_after_open_days(arrived_at, business_days, tz, hours, closures)
