import dataclasses

import pytest

from dendrite.instruments import loader, scoring
from dendrite.instruments.scoring import ScoreResult, score


def test_every_definition_has_a_scoring_rule():
    assert set(scoring._RULES) == set(loader.instrument_codes())


def test_a_score_result_cannot_be_changed_once_made():
    result = score("phq-9", [0, 0, 0, 0, 0, 0, 0, 0, 1])

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.flags = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.band = "none-minimal"  # type: ignore[misc]
    assert result.flags == ("suicide-risk",)


def test_flags_are_always_a_tuple_so_nothing_can_append_or_drop_one():
    result = ScoreResult(
        instrument="phq-9",
        version="1.0.0",
        total=1,
        band="none-minimal",
        interpretation="",
        action="",
        flags=["suicide-risk"],  # type: ignore[arg-type]
    )

    assert result.flags == ("suicide-risk",)
    assert not hasattr(result.flags, "append") and not hasattr(result.flags, "remove")


def test_a_score_result_turns_into_plain_data_for_an_api():
    data = dataclasses.asdict(score("audit", [1, 1, 0, 2, 0, 0, 0, 0, 0, 0]))

    assert data["band"] == "zone-1"
    assert data["action_zone"] == "zone-2"
    assert data["subscores"] == {"consumption": 2, "dependence": 2, "problems": 0}
    assert data["flags"] == ()
