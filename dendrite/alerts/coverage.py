"""Who is on call at a moment, and where a rota leaves nobody. Pure: no Django.

Shifts are half-open intervals [start, end) of aware datetimes.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

Interval = tuple[dt.datetime, dt.datetime]


def covering[T](shifts: Iterable[tuple[dt.datetime, dt.datetime, T]], at: dt.datetime) -> list[T]:
    """The payloads of the shifts that cover `at`, in the order given."""
    return [who for start, end, who in shifts if start <= at < end]


def gaps(shifts: Sequence[Interval], start: dt.datetime, end: dt.datetime) -> list[Interval]:
    """The parts of [start, end) that no shift covers, in order."""
    found: list[Interval] = []
    cursor = start
    for shift_start, shift_end in sorted(shifts):
        if shift_end <= cursor:
            continue
        if shift_start >= end:
            break
        if shift_start > cursor:
            found.append((cursor, shift_start))
        cursor = max(cursor, shift_end)
        if cursor >= end:
            break
    if cursor < end:
        found.append((cursor, end))
    return found
