import pytest

from dendrite.instruments.scoring import score
from dendrite.instruments.tests.helpers import answers_totalling


@pytest.mark.parametrize(
    ("total", "band"),
    # GAD-7 bands 0-4/5-9/10-14/15-21 - CLINICAL.md §1.3 [R14][R15]
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_total_falls_in_the_published_band_on_both_sides_of_each_cut_off(total, band):
    result = score("gad-7", answers_totalling("gad-7", total))

    assert (result.total, result.band) == (total, band)


@pytest.mark.parametrize(("total", "evaluate"), [(9, False), (10, True)])
def test_gad7_recommends_further_evaluation_from_ten(total, evaluate):
    # >=10 should lead to further evaluation - CLINICAL.md §1.3 [R14][R15]
    result = score("gad-7", answers_totalling("gad-7", total))

    assert ("Evaluate further" in result.action) is evaluate
