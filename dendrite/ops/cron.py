"""When a scheduled job is due, and its schedule in words (pure: no Django).

Schedules are cron expressions read by croniter in the server's time zone. The job is
due at the latest fire time not after now: a scheduler that was down runs a missed job
once, not once per missed tick.
"""

import datetime as dt

from croniter import croniter

DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def last_due(expression: str, now: dt.datetime) -> dt.datetime:
    """The latest fire time at or before `now` (whole seconds)."""
    start = now.replace(microsecond=0) + dt.timedelta(seconds=1)
    due: dt.datetime = croniter(expression, start).get_prev(dt.datetime)
    return due


def next_due(expression: str, now: dt.datetime) -> dt.datetime:
    due: dt.datetime = croniter(expression, now.replace(microsecond=0)).get_next(dt.datetime)
    return due


def _clock(hour: int, minute: int) -> str:
    suffix = "AM" if hour < 12 else "PM"
    return f"{(hour % 12) or 12}:{minute:02d} {suffix}"


def in_words(expression: str) -> str:
    """The schedules Dendrite uses, said as staff say them; anything else as its
    expression (the page also shows the next run)."""
    fields = expression.split()
    if len(fields) != 5:
        return expression
    minute, hour, day, month, weekday = fields
    if fields == ["*"] * 5:
        return "Every minute"
    if minute.startswith("*/") and [hour, day, month, weekday] == ["*"] * 4:
        return f"Every {minute[2:]} minutes"
    if minute.isdigit() and hour == "*" and [day, month, weekday] == ["*"] * 3:
        return f"Every hour at {int(minute)} minutes past"
    if minute.isdigit() and hour.isdigit() and [day, month] == ["*", "*"]:
        at = _clock(int(hour), int(minute))
        if weekday == "*":
            return f"Every day at {at}"
        if weekday.isdigit() and int(weekday) < 7:
            return f"Every {DAYS[int(weekday)]} at {at}"
    return expression
