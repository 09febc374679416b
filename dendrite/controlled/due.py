"""When a count is due. Pure: no Django.

- The daily count: on a day the location is open (clinics/hours.py) and holds ketamine,
  a count is expected by the clinic's chosen local time. Daily counts are common
  practice, not a federal rule (continuing records need not be a perpetual inventory,
  21 CFR 1304.21(a); CLINICAL.md §8.5), so the time is the clinic's setting.
- The biennial inventory: a new complete inventory at least every two years after the
  initial one (21 CFR 1304.11; CLINICAL.md §8.5). The warning period before it is ours.
"""

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from dendrite.clinics.hours import Closure, Interval, open_days

# Show the inventory as coming due this many days ahead (a reminder of our choosing).
INVENTORY_WARNING_DAYS = 30


def is_open_on(day: dt.date, hours: Iterable[Interval], closures: Iterable[Closure] = ()) -> bool:
    first = next(open_days(day, hours, closures), None)
    return first is not None and first[0] == day


def daily_count_overdue(
    now: dt.datetime,
    due_by: dt.time,
    hours: Iterable[Interval],
    closures: Iterable[Closure],
    in_stock: bool,
    counted_today: bool,
) -> bool:
    """`now` in the location's local time: past the due time on an open day, with stock
    and no count signed yet today."""
    if not in_stock or counted_today or now.time() < due_by:
        return False
    return is_open_on(now.date(), hours, closures)


def two_years_after(day: dt.date) -> dt.date:
    """The same date two years on (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + 2)
    except ValueError:
        return day.replace(year=day.year + 2, day=28)


class Inventory(NamedTuple):
    last: dt.date | None  # the initial or last biennial inventory
    next_due: dt.date | None  # None: no initial inventory yet, take it now
    due_soon: bool  # within INVENTORY_WARNING_DAYS of next_due
    overdue: bool  # past next_due, or no initial inventory at all


def inventory(last: dt.date | None, today: dt.date) -> Inventory:
    if last is None:
        return Inventory(None, None, False, True)
    due = two_years_after(last)
    overdue = today > due
    soon = not overdue and (due - today).days <= INVENTORY_WARNING_DAYS
    return Inventory(last, due, soon, overdue)
