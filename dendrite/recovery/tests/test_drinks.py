"""The US standard-drink helper (14 g of alcohol, 0.6 fl oz — CLINICAL.md §2)."""

from decimal import Decimal

import pytest

from dendrite.recovery.drinks import BEER, KINDS, SPIRITS, WINE, standard_drinks


@pytest.mark.parametrize("kind", [BEER, WINE, SPIRITS])
def test_each_reference_drink_is_one_standard_drink(kind) -> None:
    assert standard_drinks(1, kind.fl_oz, "fl oz", kind.percent) == Decimal("1.0")


def test_the_three_kinds_are_beer_wine_and_spirits() -> None:
    assert set(KINDS) == {"beer", "wine", "spirits"}
    assert (BEER.fl_oz, BEER.percent) == (12, 5)
    assert (WINE.fl_oz, WINE.percent) == (5, 12)
    assert (SPIRITS.fl_oz, SPIRITS.percent) == (Decimal("1.5"), 40)


def test_two_pints_of_six_percent_beer_are_three_point_two() -> None:
    # 2 × 16 fl oz × 6 % = 1.92 fl oz of alcohol; ÷ 0.6 = 3.2
    assert standard_drinks(2, 1, "pint", 6) == Decimal("3.2")


def test_a_750_ml_bottle_of_wine_at_thirteen_and_a_half_percent() -> None:
    # 750 ml = 25.36 fl oz × 13.5 % = 3.42 fl oz; ÷ 0.6 = 5.7
    assert standard_drinks(1, 750, "ml", Decimal("13.5")) == Decimal("5.7")


def test_nonsense_is_refused() -> None:
    with pytest.raises(ValueError):
        standard_drinks(-1, 12, "fl oz", 5)
    with pytest.raises(ValueError):
        standard_drinks(1, 12, "fl oz", 101)
