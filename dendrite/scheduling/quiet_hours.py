"""When a message may go out: never in a location's quiet hours (plain data, no Django).

Quiet hours are local wall-clock times, start included, end excluded, and may cross
midnight (21:00 → 08:00). A reminder due in them goes out EARLIER, just before they
began on the evening before, so that it is never later than promised.
"""

import datetime as dt
from zoneinfo import ZoneInfo

# "Just before": one minute before quiet hours begin.
STEP = dt.timedelta(minutes=1)


def is_quiet(moment: dt.datetime, tz: ZoneInfo, start: dt.time, end: dt.time) -> bool:
    """Whether `moment` (aware) falls in the quiet hours of a location in `tz`."""
    wall = moment.astimezone(dt.UTC).astimezone(tz).time()
    if start <= end:
        return start <= wall < end
    return wall >= start or wall < end


def send_at(due: dt.datetime, tz: ZoneInfo, start: dt.time, end: dt.time) -> dt.datetime:
    """When to send something due at `due`: `due` itself, or just before the quiet hours
    that contain it began. Never later than `due`, never in quiet hours."""
    if not is_quiet(due, tz, start, end):
        return due
    local = due.astimezone(dt.UTC).astimezone(tz)
    began_on = local.date()
    if start > end and local.time() < end:  # after midnight: they began the evening before
        began_on -= dt.timedelta(days=1)
    # fold=0 takes the earlier reading of an ambiguous wall time (the autumn hour that
    # happens twice); a wall time that does not exist (spring forward) is checked below.
    # Arithmetic in UTC: on an aware datetime in `tz` it would be wall-clock arithmetic.
    moment = dt.datetime.combine(began_on, start, tzinfo=tz).astimezone(dt.UTC) - STEP
    while moment > due or is_quiet(moment, tz, start, end):
        moment -= STEP
    return moment.astimezone(due.tzinfo)


def quiet_ends(moment: dt.datetime, tz: ZoneInfo, start: dt.time, end: dt.time) -> dt.datetime:
    """The first moment at or after `moment` outside quiet hours (for a retry or a late
    send, which cannot go earlier)."""
    if not is_quiet(moment, tz, start, end):
        return moment
    local = moment.astimezone(dt.UTC).astimezone(tz)
    ends_on = local.date()
    if start > end and local.time() >= start:  # before midnight: they end the next morning
        ends_on += dt.timedelta(days=1)
    later = dt.datetime.combine(ends_on, end, tzinfo=tz).astimezone(dt.UTC)
    while is_quiet(later, tz, start, end) or later < moment:
        later += STEP
    return later.astimezone(moment.tzinfo)
