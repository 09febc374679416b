"""US standard drinks: how many a drink of some size and strength counts as.

A US standard drink holds about 14 g of pure alcohol, about 0.6 fl oz: 12 fl oz of
regular beer (about 5 %), 5 fl oz of wine (about 12 %) or 1.5 fl oz of 80-proof spirits
(about 40 %) — NIAAA, CLINICAL.md §2 [R55]. Pure module: no Django.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# 0.6 fl oz of pure alcohol per standard drink — CLINICAL.md §2 [R55].
ALCOHOL_FL_OZ_PER_DRINK = Decimal("0.6")
FL_OZ_PER_ML = Decimal("1") / Decimal("29.5735")
FL_OZ = {"fl oz": Decimal(1), "ml": FL_OZ_PER_ML, "pint": Decimal(16), "liter": Decimal("33.814")}


@dataclass(frozen=True)
class Kind:
    label: str
    fl_oz: Decimal  # the usual size of one standard drink of this kind
    percent: Decimal  # its usual strength, % alcohol by volume


# The three reference drinks — CLINICAL.md §2 [R55].
BEER = Kind("Beer", Decimal(12), Decimal(5))
WINE = Kind("Wine", Decimal(5), Decimal(12))
SPIRITS = Kind("Spirits", Decimal("1.5"), Decimal(40))
KINDS = {"beer": BEER, "wine": WINE, "spirits": SPIRITS}


def standard_drinks(
    count: Decimal | int, size: Decimal | int, unit: str, percent: Decimal | int
) -> Decimal:
    """`count` drinks of `size` `unit` at `percent` % alcohol, in standard drinks, to one
    decimal: 2 pints of 6 % beer → 2 × 16 fl oz × 0.06 / 0.6 = 3.2."""
    if count < 0 or size < 0 or not 0 <= percent <= 100:
        raise ValueError("amounts are not negative and strength is a percentage")
    alcohol = Decimal(count) * Decimal(size) * FL_OZ[unit] * Decimal(percent) / 100
    return (alcohol / ALCOHOL_FL_OZ_PER_DRINK).quantize(Decimal("0.1"), ROUND_HALF_UP)
