"""A line chart of vital signs drawn by the server as SVG, readable without JavaScript:
this module only works out the geometry (plain data in and out, no Django); the note's
template draws it. The same numbers are in the table beside it."""

from dataclasses import dataclass

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 36


@dataclass(frozen=True)
class Line:
    label: str
    points: str  # "x,y x,y …" for <polyline points>
    dots: list[tuple[float, float, float]]  # (x, y, value)


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Geometry:
    width: int
    height: int
    left: int
    bottom: float
    right: float
    top: int
    lines: list[Line]
    y_ticks: list[Tick]
    x_ticks: list[Tick]


def _step(span: float) -> int:
    for step in (5, 10, 20, 25, 50, 100):
        if span / step <= 6:
            return step
    return 200


def geometry(minutes: list[float], series: list[tuple[str, list[float | None]]]) -> Geometry | None:
    """Minutes from the first reading on x; each series' values on one y scale. None
    when there is nothing to draw (fewer than one reading or no value)."""
    values = [v for _, vs in series for v in vs if v is not None]
    if not minutes or not values:
        return None
    low, high = min(values), max(values)
    step = _step(max(high - low, 1))
    low, high = (low // step) * step, (high // step + 1) * step
    first, last = min(minutes), max(max(minutes), min(minutes) + 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(m: float) -> float:
        return round(LEFT + (m - first) / (last - first) * plot_w, 1)

    def y(v: float) -> float:
        return round(TOP + (high - v) / (high - low) * plot_h, 1)

    lines = []
    for label, vs in series:
        dots = [(x(m), y(v), v) for m, v in zip(minutes, vs, strict=True) if v is not None]
        lines.append(Line(label, " ".join(f"{a},{b}" for a, b, _ in dots), dots))
    y_ticks = [Tick(y(v), f"{v:g}") for v in range(int(low), int(high) + 1, step)]
    x_step = _step(last - first)
    x_ticks = [Tick(x(m), f"{m:g}") for m in range(int(first), int(last) + 1, x_step)]
    return Geometry(WIDTH, HEIGHT, LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, TOP, lines, y_ticks,
                    x_ticks)  # fmt: skip
