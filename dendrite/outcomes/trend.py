"""One instrument's scores over time as an SVG drawn on the server: readable without
JavaScript, scaled by its viewBox to any width (320 px phones to wide screens). Pure:
plain data in, markup out, no Django.

The picture is one image to assistive technology (role="img", with a title and a
description); the chart section puts the same numbers in a table beside it. Bands are
shaded from lowest (lightest) to highest, infusions are dashed vertical lines, the
baseline is an open ring and the latest score a filled dot.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 640
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 12, 30
# Tints from calm to warm; each has contrast to spare against the dark line and labels.
TINTS = ("#e8f4ea", "#f1f5df", "#fbf1d9", "#fbe4d5", "#f8d9d9")
LINE = "#1f4e79"
INFUSION = "#6a3fa0"
TEXT = "#222222"


@dataclass(frozen=True)
class Mark:
    at: dt.datetime
    score: int


@dataclass(frozen=True)
class Shade:
    lowest: int
    label: str


@dataclass(frozen=True)
class Trend:
    ident: str  # unique on the page: the ids of the title and description
    title: str
    description: str
    marks: Sequence[Mark]  # oldest first
    top: int  # the highest possible score
    shades: Sequence[Shade] = ()  # lowest first; each runs up to the next
    infusions: Sequence[dt.datetime] = ()
    baseline: int | None = None  # index into marks
    latest: int | None = None
    start_label: str = ""
    end_label: str = ""


def svg(trend: Trend) -> str:
    times = [mark.at for mark in trend.marks] + list(trend.infusions)
    start, end = (min(times), max(times)) if times else (dt.datetime.min, dt.datetime.min)
    if end - start < dt.timedelta(days=1):
        end = start + dt.timedelta(days=1)
    span = (end - start).total_seconds()
    top = max(trend.top, 1)

    def x(at: dt.datetime) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (at - start).total_seconds() / span, 1)

    def y(score: float) -> float:
        return round(HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * score / top, 1)

    ident = escape(trend.ident)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%"'
        f' role="img" aria-labelledby="{ident}-title {ident}-desc" class="trend"'
        ' focusable="false">',
        f'<title id="{ident}-title">{escape(trend.title)}</title>',
        f'<desc id="{ident}-desc">{escape(trend.description)}</desc>',
    ]
    parts += _shades(trend, top, y)
    parts.append(
        f'<line x1="{LEFT}" y1="{y(0)}" x2="{WIDTH - RIGHT}" y2="{y(0)}" stroke="{TEXT}"/>'
    )
    for at in trend.infusions:
        parts.append(
            f'<line class="infusion" x1="{x(at)}" y1="{TOP}" x2="{x(at)}" y2="{y(0)}"'
            f' stroke="{INFUSION}" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
    points = " ".join(f"{x(mark.at)},{y(mark.score)}" for mark in trend.marks)
    if len(trend.marks) > 1:
        parts.append(f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for mark in trend.marks:
        parts.append(f'<circle cx="{x(mark.at)}" cy="{y(mark.score)}" r="3" fill="{LINE}"/>')
    if trend.baseline is not None:
        mark = trend.marks[trend.baseline]
        parts.append(
            f'<circle class="baseline" cx="{x(mark.at)}" cy="{y(mark.score)}" r="7"'
            f' fill="none" stroke="{TEXT}" stroke-width="2.5"/>'
        )
    if trend.latest is not None:
        mark = trend.marks[trend.latest]
        parts.append(
            f'<circle class="latest" cx="{x(mark.at)}" cy="{y(mark.score)}" r="6"'
            f' fill="{LINE}" stroke="#ffffff" stroke-width="2"/>'
        )
    baseline_y = HEIGHT - 8
    parts.append(_text(LEFT, baseline_y, trend.start_label, "start"))
    parts.append(_text(WIDTH - RIGHT, baseline_y, trend.end_label, "end"))
    parts.append("</svg>")
    return "".join(parts)


def _shades(trend: Trend, top: int, y: Callable[[float], float]) -> list[str]:
    parts = []
    shades = list(trend.shades)
    colours = tints(len(shades))
    for index, shade in enumerate(shades):
        upper = shades[index + 1].lowest if index + 1 < len(shades) else top
        parts.append(
            f'<rect x="{LEFT}" y="{y(upper)}" width="{WIDTH - LEFT - RIGHT}"'
            f' height="{round(y(shade.lowest) - y(upper), 1)}" fill="{colours[index]}"/>'
        )
    for value in sorted({shade.lowest for shade in shades} | {0, top}):
        parts.append(_text(LEFT - 6, y(value) + 4, str(value), "end"))
    return parts


def tints(count: int) -> list[str]:
    if count <= 1:
        return list(TINTS[:count])
    return [TINTS[round(i * (len(TINTS) - 1) / (count - 1))] for i in range(count)]


def _text(x: float, y: float, text: str, anchor: str) -> str:
    return (
        f'<text x="{x}" y="{round(y, 1)}" text-anchor="{anchor}" font-size="13"'
        f' fill="{TEXT}">{escape(text)}</text>'
    )
