import pytest

from dendrite.instruments.answers import ScoringError
from dendrite.instruments.scoring import score
from dendrite.instruments.tests.helpers import answers_totalling, pcl5

# The least that meets the DSM-5 rule: 1 B, 1 C, 2 D and 2 E items rated 2 or more
# - CLINICAL.md §1.8 [R47a][R47b]. Its total is 12, far below any total cut-off.
CLUSTERS_JUST_MET = pcl5(q1=2, q6=2, q8=2, q9=2, q15=2, q16=2)


@pytest.mark.parametrize(
    ("total", "band"),
    # Total cut-off 31-33; 33 by default - CLINICAL.md §1.8 [R47a][R47b]
    [(0, "below-threshold"), (32, "below-threshold"), (33, "probable-ptsd"), (80, "probable-ptsd")],
)
def test_pcl5_default_total_cut_off_is_33(total, band):
    result = score("pcl-5", answers_totalling("pcl-5", total))

    assert (result.total, result.band) == (total, band)
    assert result.criteria["total-cutoff"] is (band == "probable-ptsd")


@pytest.mark.parametrize(
    ("cutoff", "total", "band"),
    [
        (31, 30, "below-threshold"),
        (31, 31, "probable-ptsd"),
        (32, 31, "below-threshold"),
        (32, 32, "probable-ptsd"),
    ],
)
def test_pcl5_total_cut_off_is_configurable(cutoff, total, band):
    result = score("pcl-5", answers_totalling("pcl-5", total), pcl5_cutoff=cutoff)

    assert result.band == band
    assert f"cut-off of {cutoff}" in result.interpretation


def test_pcl5_dsm5_cluster_rule_is_met_by_the_least_qualifying_answers():
    result = score("pcl-5", CLUSTERS_JUST_MET, pcl5_band_rule="clusters")

    assert result.criteria == {"total-cutoff": False, "dsm5-clusters": True}
    assert result.band == "probable-ptsd"


@pytest.mark.parametrize("dropped", ["q1", "q6", "q8", "q9", "q15", "q16"])
def test_pcl5_dsm5_cluster_rule_fails_when_any_cluster_is_one_item_short(dropped):
    ratings = {"q1": 2, "q6": 2, "q8": 2, "q9": 2, "q15": 2, "q16": 2, dropped: 1}

    result = score("pcl-5", pcl5(**ratings), pcl5_band_rule="clusters")

    assert result.criteria["dsm5-clusters"] is False
    assert result.band == "below-threshold"


def test_pcl5_items_rated_one_do_not_count_towards_a_cluster():
    result = score("pcl-5", [1] * 20, pcl5_band_rule="clusters")

    assert result.criteria["dsm5-clusters"] is False


def test_pcl5_reports_both_rules_and_the_chosen_rule_sets_the_band():
    high_total = [4] * 5 + [0, 0] + [4] * 7 + [0] * 6  # 48, but no C or E items

    by_total = score("pcl-5", high_total)
    by_clusters = score("pcl-5", high_total, pcl5_band_rule="clusters")

    assert (
        by_total.criteria == by_clusters.criteria == {"total-cutoff": True, "dsm5-clusters": False}
    )
    assert (by_total.band, by_clusters.band) == ("probable-ptsd", "below-threshold")
    assert score("pcl-5", CLUSTERS_JUST_MET).band == "below-threshold"


def test_pcl5_subscores_are_the_cluster_sums():
    result = score("pcl-5", list(range(5)) * 4)

    assert result.subscores == {"B": 10, "C": 1, "D": 15, "E": 14}
    assert sum(result.subscores.values()) == result.total == 40


@pytest.mark.parametrize(
    ("cutoff", "kind"),
    [(0, "out-of-range"), (81, "out-of-range"), (True, "wrong-type"), (33.0, "wrong-type")],
)
def test_pcl5_refuses_a_cut_off_outside_the_total_range(cutoff, kind):
    with pytest.raises(ScoringError) as raised:
        score("pcl-5", [0] * 20, pcl5_cutoff=cutoff)

    assert raised.value.codes == {"pcl5_cutoff": kind}


def test_pcl5_refuses_an_unknown_band_rule():
    with pytest.raises(ScoringError) as raised:
        score("pcl-5", [0] * 20, pcl5_band_rule="either")

    assert raised.value.codes == {"pcl5_band_rule": "not-an-option"}
