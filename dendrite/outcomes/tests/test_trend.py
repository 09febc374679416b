"""The trend SVG: scaled by its viewBox, one image with a title and description, bands,
infusions, baseline and latest; every text escaped."""

import datetime as dt
import xml.etree.ElementTree as ET

from dendrite.outcomes.trend import HEIGHT, Mark, Shade, Trend, svg, tints

SVG = "{http://www.w3.org/2000/svg}"
T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


def day(n: int) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


def picture(**extra) -> ET.Element:
    trend = Trend(
        ident="trend-phq-9",
        title="PHQ-9 scores over time",
        description="3 scores <and> a baseline",
        marks=[Mark(day(0), 20), Mark(day(7), 12), Mark(day(14), 4)],
        top=27,
        shades=[Shade(0, "None"), Shade(5, "Mild"), Shade(10, "Moderate"),
                Shade(15, "Moderately severe"), Shade(20, "Severe")],
        infusions=[day(1), day(3)],
        baseline=0,
        latest=2,
        start_label="Mar 2, 2026",
        end_label="Mar 16, 2026",
    ) if not extra else Trend(**extra)  # fmt: skip
    return ET.fromstring(svg(trend))


def test_it_is_one_labelled_image_that_scales():
    root = picture()
    assert root.get("role") == "img"
    assert root.get("viewBox") == f"0 0 640 {HEIGHT}" and root.get("width") == "100%"
    assert root.get("aria-labelledby") == "trend-phq-9-title trend-phq-9-desc"
    assert root.find(f"{SVG}title").text == "PHQ-9 scores over time"
    assert root.find(f"{SVG}desc").text == "3 scores <and> a baseline"  # escaped, parsed back


def test_bands_infusions_baseline_and_latest_are_drawn():
    root = picture()
    rects = root.findall(f"{SVG}rect")
    assert len(rects) == 5
    heights = [float(rect.get("height")) for rect in rects]
    assert max(heights[:4]) - min(heights[:4]) < 0.2  # 5 points each
    assert abs(heights[4] / heights[0] - 7 / 5) < 0.01  # 20-27: 7 points
    assert len(root.findall(f"{SVG}line[@class='infusion']")) == 2
    baseline = root.find(f"{SVG}circle[@class='baseline']")
    latest = root.find(f"{SVG}circle[@class='latest']")
    first = root.findall(f"{SVG}circle")[0]
    assert (baseline.get("cx"), baseline.get("cy")) == (first.get("cx"), first.get("cy"))
    assert float(latest.get("cy")) > float(baseline.get("cy"))  # 4 is lower on the page
    labels = [text.text for text in root.findall(f"{SVG}text")]
    assert {"0", "5", "10", "15", "20", "27", "Mar 2, 2026", "Mar 16, 2026"} == set(labels)


def test_a_single_score_and_no_bands_still_draw():
    root = picture(ident="t", title="t", description="d", marks=[Mark(day(0), 3)], top=10)
    assert len(root.findall(f"{SVG}circle")) == 1
    assert root.find(f"{SVG}polyline") is None
    assert root.findall(f"{SVG}rect") == []


def test_tints_run_from_calm_to_warm():
    assert tints(5)[0] != tints(5)[-1]
    assert tints(2) == [tints(5)[0], tints(5)[-1]]
    assert tints(0) == []
