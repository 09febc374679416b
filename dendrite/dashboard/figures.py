"""The dashboard's arithmetic on counts the database has already added up. Pure: plain
numbers in, plain numbers and words out, no Django.

The funnel's stages are "reached this stage or a later one", so each is at most the one
before it and the drop-out between two stages is never negative.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass


def percent(part: int, whole: int) -> str:
    """`part` of `whole` in whole per cent, rounded half up; a dash for none of none."""
    if whole <= 0:
        return "–"
    return f"{(part * 200 + whole) // (whole * 2)} %"


def per_100(events: int, infusions: int) -> str:
    """Events per 100 infusions, to one decimal; a dash when there were no infusions."""
    if infusions <= 0:
        return "–"
    tenths = (events * 2000 + infusions) // (infusions * 2)
    return f"{tenths // 10}.{tenths % 10}"


def duration_words(value: dt.timedelta | None) -> str:
    """A waiting time in days and hours ("1 day 3 hours"); a dash when unknown."""
    if value is None:
        return "–"
    hours = int(value.total_seconds() // 3600)
    if hours < 1:
        return "less than an hour"
    days, hours = divmod(hours, 24)
    parts = []
    if days:
        parts.append(f"{days} day" + ("s" if days != 1 else ""))
    if hours or not days:
        parts.append(f"{hours} hour" + ("s" if hours != 1 else ""))
    return " ".join(parts)


def median(middle: Sequence[dt.timedelta]) -> dt.timedelta | None:
    """The median from the one or two middle values the database returned."""
    if not middle:
        return None
    if len(middle) == 1:
        return middle[0]
    return (middle[0] + middle[1]) / 2


def middle_slice(count: int) -> tuple[int, int]:
    """Offsets of the one (odd count) or two (even count) middle values, end exclusive."""
    if count <= 0:
        return (0, 0)
    return ((count - 1) // 2, count // 2 + 1)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    count: int
    share_of_first: str  # of the inquiries
    share_of_previous: str  # of the stage before
    dropped: int  # reached the stage before, not this one


def funnel(stages: Sequence[tuple[str, str, int]]) -> list[Step]:
    """[(key, label, count)], first stage first, into steps with their drop-outs."""
    steps = []
    first = stages[0][2] if stages else 0
    previous = None
    for key, label, count in stages:
        steps.append(
            Step(
                key,
                label,
                count,
                percent(count, first),
                "–" if previous is None else percent(count, previous),
                0 if previous is None else previous - count,
            )
        )
        previous = count
    return steps


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    y: int
    width: int
    text_x: int


BAR_HEIGHT = 28
BAR_GAP = 12
CHART_WIDTH = 600
LABEL_WIDTH = 200


def bars(steps: Sequence[Step]) -> tuple[list[Bar], int]:
    """Horizontal bars of the funnel, scaled to the largest count; and the chart height."""
    largest = max((step.count for step in steps), default=0)
    room = CHART_WIDTH - LABEL_WIDTH - 60
    out = []
    for index, step in enumerate(steps):
        width = (step.count * room) // largest if largest else 0
        y = index * (BAR_HEIGHT + BAR_GAP)
        out.append(Bar(step.label, step.count, y, width, LABEL_WIDTH + width + 6))
    return out, max(len(out) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, BAR_HEIGHT)


@dataclass(frozen=True)
class OutcomeRow:
    key: str
    label: str
    with_data: int
    responders: int
    remitters: int

    @property
    def response_rate(self) -> str:
        return percent(self.responders, self.with_data)

    @property
    def remission_rate(self) -> str:
        return percent(self.remitters, self.with_data)


@dataclass(frozen=True)
class Drinking:
    patients: int  # with at least one diary day
    recorded: int  # diary days recorded
    abstinent: int
    heavy: int

    def rows(self) -> list[tuple[str, str, int, str]]:
        """(figure key, label, count, share of the recorded days)."""
        return [
            ("diary", "Days recorded in drinking diaries", self.recorded, ""),
            ("abstinent", "Days abstinent", self.abstinent,
             percent(self.abstinent, self.recorded)),
            ("heavy", "Heavy drinking days", self.heavy, percent(self.heavy, self.recorded)),
        ]  # fmt: skip


@dataclass(frozen=True)
class RelapseRow:
    days: int
    with_data: int  # patients with drinking-diary days in the first `days` days
    relapsed: int

    @property
    def key(self) -> str:
        return f"relapse{self.days}"

    @property
    def label(self) -> str:
        return f"Within {self.days} days"

    @property
    def rate(self) -> str:
        return percent(self.relapsed, self.with_data)


def phq9_points(
    first: dt.datetime,
    scores: Sequence[tuple[dt.datetime, int]],
    windows: Sequence[tuple[dt.timedelta, dt.timedelta]],
) -> tuple[int | None, list[int | None]]:
    """A patient's baseline (the last score before the first infusion) and the last score
    in each window after it (both ends included), from their scores oldest first."""
    baseline = None
    points: list[int | None] = [None] * len(windows)
    for at, total in scores:
        if at < first:
            baseline = total
        for n, (start, end) in enumerate(windows):
            if first + start <= at <= first + end:
                points[n] = total
    return baseline, points


def chair_minutes(spans: Sequence[tuple[int, int, int, int]]) -> list[list[int]]:
    """Minutes per weekday (Monday first) and hour from (ISO weekday, first minute of
    the day, minute it ends, how many such appointments): each counts in every hour
    for its minutes there."""
    minutes = [[0] * 24 for _ in range(7)]
    for weekday, begin, finish, count in spans:
        for hour in range(24):
            inside = min(finish, 60 * hour + 60) - max(begin, 60 * hour)
            if inside > 0:
                minutes[weekday - 1][hour] += inside * count
    return minutes


@dataclass(frozen=True)
class ChairUse:
    """Chair-minutes: one row per weekday (Monday first), one number per hour 0-23."""

    minutes: list[list[int]]

    def hours_used(self) -> list[int]:
        """The hours any weekday used, from the first to the last (all if none)."""
        used = [h for h in range(24) if any(row[h] for row in self.minutes)]
        return list(range(used[0], used[-1] + 1)) if used else []

    @property
    def most(self) -> int:
        return max((value for row in self.minutes for value in row), default=0)

    def shade(self, value: int) -> int:
        """0 to 4: how dark a cell is drawn (the number is always written too)."""
        if value <= 0 or self.most <= 0:
            return 0
        return min(4, 1 + (value * 4 - 1) // self.most)
