"""The vital-signs chart's geometry (pure): every reading a point inside the plot, the
highest value at the top band, nothing drawn without readings."""

from hypothesis import given
from hypothesis import strategies as st

from dendrite.notes import svgchart


def test_nothing_to_draw_gives_none():
    assert svgchart.geometry([], []) is None
    assert svgchart.geometry([0, 10], [("Systolic", [None, None])]) is None


def test_each_reading_is_a_point_and_a_missing_one_is_skipped():
    shape = svgchart.geometry([0, 10, 20], [("Systolic", [120, None, 186]), ("HR", [72, 80, 88])])
    assert shape is not None
    systolic, heart_rate = shape.lines
    assert [value for _, _, value in systolic.dots] == [120, 186]
    assert len(heart_rate.points.split()) == 3
    top = min(y for _, y, _ in systolic.dots)
    assert top == min(y for line in shape.lines for _, y, _ in line.dots)  # 186 is highest
    assert shape.x_ticks[0].label == "0"


@given(
    st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=12, unique=True),
    st.data(),
)
def test_every_point_lies_inside_the_plot(minutes, data):
    minutes = sorted(minutes)
    values = data.draw(st.lists(st.integers(20, 250), min_size=len(minutes), max_size=len(minutes)))
    shape = svgchart.geometry(minutes, [("Value", values)])
    assert shape is not None
    for x, y, _ in shape.lines[0].dots:
        assert shape.left <= x <= shape.right
        assert shape.top <= y <= shape.bottom
