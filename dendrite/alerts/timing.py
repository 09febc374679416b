"""When an unacknowledged safety alert escalates. Pure: no Django.

The clock runs only while the location is open: an alert raised at 17:55 with a
15-minute limit and a 18:00 close escalates ten minutes after opening the next
open day. The arithmetic is the clinics' (clinics/hours.py).
"""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from dendrite.clinics.hours import Closure, Interval, after_open_time


def escalation_due(
    raised_at: dt.datetime,
    minutes: int,
    tz: ZoneInfo,
    hours: Iterable[Interval],
    closures: Iterable[Closure] = (),
) -> dt.datetime:
    """The moment `minutes` of opening time have passed since `raised_at` (aware, UTC)."""
    return after_open_time(raised_at, minutes, tz, hours, closures)
