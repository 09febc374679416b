"""The last 30 days at a glance: one bar per day, as numbers a template draws as SVG
and repeats in a table. Pure module: no Django."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT, BAR = 300, 80, 8  # the SVG's viewBox and a bar's width, in its units
TOP_AT_LEAST = 6  # the scale's top in drinks, so one drink does not fill the chart


@dataclass(frozen=True)
class Bar:
    day: dt.date
    drinks: Decimal | None  # None: no data that day
    heavy: bool
    marker: str
    x: int
    y: int
    height: int


def bars(
    days: dict[dt.date, Decimal],
    markers: dict[dt.date, str],
    end: dt.date,
    threshold: int,
    count: int = 30,
) -> tuple[list[Bar], int]:
    """One bar per day from `count` days before `end` to `end`, oldest first, and the
    scale's top (in drinks)."""
    top = max([TOP_AT_LEAST, *[int(d) + 1 for d in days.values()]])
    step = WIDTH // count
    found = []
    for index in range(count):
        day = end - dt.timedelta(days=count - 1 - index)
        drinks = days.get(day)
        height = 0 if drinks is None else max(1, round(float(drinks) / top * HEIGHT))
        if drinks == 0:
            height = 1  # a sliver marks an abstinent day as recorded
        found.append(
            Bar(
                day=day,
                drinks=drinks,
                heavy=drinks is not None and drinks >= threshold,
                marker=markers.get(day, ""),
                x=index * step,
                y=HEIGHT - height,
                height=height,
            )
        )
    return found, top
