"""The dashboard's arithmetic on counts (pure)."""

import datetime as dt

from dendrite.dashboard import figures


def test_percent_rounds_half_up_and_has_a_dash_for_none_of_none():
    assert figures.percent(1, 8) == "13 %"  # 12.5
    assert figures.percent(2, 3) == "67 %"
    assert figures.percent(0, 5) == "0 %"
    assert figures.percent(0, 0) == "–"


def test_per_100_to_one_decimal():
    assert figures.per_100(1, 4) == "25.0"
    assert figures.per_100(1, 3) == "33.3"
    assert figures.per_100(2, 3) == "66.7"
    assert figures.per_100(1, 0) == "–"


def test_median_from_the_middle_values():
    assert figures.middle_slice(0) == (0, 0)
    assert figures.middle_slice(3) == (1, 2)
    assert figures.middle_slice(4) == (1, 3)
    hours = [dt.timedelta(hours=h) for h in (4, 10)]
    assert figures.median(hours) == dt.timedelta(hours=7)
    assert figures.median([]) is None
    assert figures.duration_words(dt.timedelta(hours=27)) == "1 day 3 hours"
    assert figures.duration_words(dt.timedelta(minutes=20)) == "less than an hour"


def test_the_funnel_drop_outs_and_the_bars():
    steps = figures.funnel([("a", "A", 10), ("b", "B", 4), ("c", "C", 0)])
    assert [(s.dropped, s.share_of_first, s.share_of_previous) for s in steps] == [
        (0, "100 %", "–"), (6, "40 %", "40 %"), (4, "0 %", "0 %")
    ]  # fmt: skip
    bars, height = figures.bars(steps)
    assert [b.width for b in bars] == [340, 136, 0]
    assert height == 3 * 28 + 2 * 12
    assert figures.bars([])[0] == []


def test_chair_use_shades_and_hours():
    from dendrite.dashboard.figures import ChairUse, RelapseRow

    rows = [[0] * 24 for _ in range(7)]
    rows[0][9], rows[0][10], rows[2][14] = 30, 120, 60
    use = ChairUse(rows)
    assert use.hours_used() == list(range(9, 15))
    assert [use.shade(n) for n in (0, 1, 30, 60, 120)] == [0, 1, 1, 2, 4]
    assert ChairUse([[0] * 24] * 7).hours_used() == []
    assert RelapseRow(90, 3, 2).rate == "67 %" and RelapseRow(30, 0, 0).rate == "–"
