"""link_and_display (one parse for a list row) says what the `tel` and `phone` filters say."""

import pytest

from dendrite.clinics.phones import for_display, link_and_display, to_e164


@pytest.mark.parametrize(
    "stored",
    ["+16175550142", "+442079460958", "617-555-0142", "+1617555014", "+19995550142", "not a phone"],
)
def test_a_row_s_link_and_words_are_those_of_the_two_filters(stored):
    assert link_and_display(stored) == (to_e164(stored) or stored, for_display(stored))
