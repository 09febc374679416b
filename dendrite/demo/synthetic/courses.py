"""How each synthetic patient's treatment goes: pure, no Django, one random.Random.

Kinds, in shares close to the published ketamine series (CLINICAL.md §2: response is a
drop of 50% or more from baseline, remission a PHQ-9 or GAD-7 under 5; about half to two
thirds of people with treatment-resistant depression respond to a series):

- remits      the score falls under 5 by the end of the induction series and stays there
- responds    falls by half or more, not under 5, and holds with boosters
- relapses    responds, then the score climbs back months later (a booster follows)
- no_response falls by less than half
- drops_out   stops during the induction series
- no_series   a consultation only (not a candidate, or decided against it)

For the alcohol cohort the diary follows the same kinds: heavy drinking before, days
without drinking after a response, heavy days again on a relapse (three heavy days in
two weeks is the clinic's default relapse: recovery/metrics.Definition).
"""

import random
from dataclasses import dataclass

# The cohort's main instrument, its share, and the baseline range of the main score
# (moderate to severe: PHQ-9 15-24 and GAD-7 12-20 are where a series is usually offered).
COHORTS = (
    ("depression", 0.60, "phq-9", (15, 24)),
    ("anxiety", 0.15, "gad-7", (12, 20)),
    ("alcohol", 0.25, "phq-9", (10, 22)),
)
KINDS = (
    ("remits", 0.26),
    ("responds", 0.22),
    ("relapses", 0.14),
    ("no_response", 0.20),
    ("drops_out", 0.08),
    ("no_series", 0.10),
)
# The main score at the end of the induction series, as a share of the baseline.
END_SHARE = {
    "remits": (0.05, 0.2),
    "responds": (0.3, 0.45),
    "relapses": (0.25, 0.45),
    "no_response": (0.65, 1.0),
    "drops_out": (0.6, 1.0),
    "no_series": (1.0, 1.0),
}
SERIES_LENGTH = 6
ICD10 = {
    "depression": (
        "F33.2",
        "Major depressive disorder, recurrent severe without psychotic features",
    ),
    "anxiety": ("F41.1", "Generalized anxiety disorder"),
    "alcohol": ("F10.20", "Alcohol dependence, uncomplicated"),
}


@dataclass(frozen=True)
class Course:
    cohort: str
    instrument: str
    kind: str
    baseline: int
    end_share: float
    infusions: int  # given in the induction series
    boosters: int  # after the series
    relapse_at: int | None  # the booster before which the score has climbed back


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    roll, total = rng.random(), 0.0
    for name, share in table:
        total += share
        if roll < total:
            return name
    return table[-1][0]


def draw(rng: random.Random) -> Course:
    cohort = _pick(rng, tuple((c[0], c[1]) for c in COHORTS))
    _, _, instrument, (low, high) = next(c for c in COHORTS if c[0] == cohort)
    kind = _pick(rng, KINDS)
    infusions = {"no_series": 0, "drops_out": rng.randint(1, SERIES_LENGTH - 1)}.get(
        kind, SERIES_LENGTH
    )
    boosters = {
        "remits": rng.randint(0, 4),
        "responds": rng.randint(1, 6),
        "relapses": rng.randint(2, 6),
        "no_response": rng.randint(0, 1),
    }.get(kind, 0)
    relapse_at = rng.randint(1, boosters - 1) if kind == "relapses" else None
    return Course(
        cohort=cohort,
        instrument=instrument,
        kind=kind,
        baseline=rng.randint(low, high),
        end_share=rng.uniform(*END_SHARE[kind]),
        infusions=infusions,
        boosters=boosters,
        relapse_at=relapse_at,
    )


def induction_score(course: Course, number: int, rng: random.Random) -> int:
    """The main score before induction infusion `number` (1: the baseline), and after the
    series (number = SERIES_LENGTH + 1): falling towards the end share, with noise."""
    done = min(number - 1, SERIES_LENGTH) / SERIES_LENGTH
    share = 1 - (1 - course.end_share) * done
    return _noisy(course, share, rng)


def booster_score(course: Course, number: int, rng: random.Random) -> int:
    """The main score before booster `number` (1 = the first): held, or climbing back from
    the relapse on, then brought down again by the boosters that follow."""
    share = course.end_share
    if course.relapse_at is not None and number >= course.relapse_at:
        share = 0.8 if number == course.relapse_at else max(course.end_share, 0.55)
    return _noisy(course, share, rng)


def _noisy(course: Course, share: float, rng: random.Random) -> int:
    value = round(course.baseline * share) + rng.choice((-1, 0, 0, 0, 1))
    return max(0, min(course.baseline, value)) if share < 1 else course.baseline


def points(rng: random.Random, link_ids: tuple[str, ...], total: int, most: int) -> dict[str, int]:
    """Item points adding up to `total` (at most `most` each), spread at random."""
    count = len(link_ids)
    total = min(total, most * count)
    each, rest = divmod(total, count)
    values = [each] * count
    for index in rng.sample(range(count), rest):
        values[index] += 1
    for _ in range(2):  # a little unevenness, the total unchanged
        i, j = rng.randrange(count), rng.randrange(count)
        if values[i] > 0 and values[j] < most:
            values[i] -= 1
            values[j] += 1
    return dict(zip(link_ids, values, strict=True))


def drinks(rng: random.Random, phase: str, heavy: int) -> int:
    """Standard drinks on one day: `before` treatment, `better` after a response, `worse`
    during a relapse or without a response. `heavy` is the sex's heavy-day threshold."""
    roll = rng.random()
    if phase == "before":
        return 0 if roll < 0.15 else rng.randint(heavy - 1, heavy + 6)
    if phase == "better":
        return 0 if roll < 0.9 else rng.randint(1, heavy - 2)
    return 0 if roll < 0.45 else rng.randint(heavy, heavy + 5)
