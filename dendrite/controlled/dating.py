"""Whether a vial may still be drawn from on a given day. Pure: dates in, a reason out.

- The manufacturer's expiry date: nothing is drawn after it.
- An opened multiple-dose vial: a beyond-use date a set number of days after the first
  puncture. 28 days is reported by a secondary source only (CLINICAL.md §8.7 [A39];
  the primary CDC/USP text is unconfirmed, §13 item 8), so the number is the clinic's
  setting (DENDRITE_OPENED_VIAL_DAYS; 0 turns the rule off).
"""

import datetime as dt
from collections.abc import Callable

EXPIRED = "This vial expired on {date}; it cannot be drawn from. Set it aside for disposal."
PAST_USE = (
    "This vial was first opened on {opened} and may not be used after {until}. "
    "Set it aside for disposal."
)


def beyond_use(opened_on: dt.date | None, opened_days: int) -> dt.date | None:
    if opened_on is None or opened_days <= 0:
        return None
    return opened_on + dt.timedelta(days=opened_days)


def unusable_reason(
    expires_on: dt.date,
    opened_on: dt.date | None,
    today: dt.date,
    opened_days: int,
    *,
    show: Callable[[dt.date], str],
) -> str | None:
    """Why the vial cannot be drawn from today, or None if it can. `show` writes a day
    the way every page does (dendrite.dates.day)."""
    if today > expires_on:
        return EXPIRED.format(date=show(expires_on))
    until = beyond_use(opened_on, opened_days)
    if until is not None and opened_on is not None and today > until:
        return PAST_USE.format(opened=show(opened_on), until=show(until))
    return None
