"""The ketamine dose, by weight: plain numbers in, plain numbers out (no Django).

dose (mg)        = weight (kg) × dose (mg/kg), rounded by the clinic's rule
drawn (mL)       = dose (mg) ÷ concentration of the vial (mg/mL)
total (mL)       = drawn (mL) + the diluent the clinic adds (0 for an undiluted syringe)
pump rate (mL/h) = total (mL) × 60 ÷ duration (min)

Every figure is a Decimal with its unit in its name, so mg and mL cannot be swapped.
Weights are kilograms; pounds are converted once, on entry (entering pounds as kilograms
gives about 2.2 times the dose — CLINICAL.md §9.3 [B7][B9]). A dose over the clinic's
cap is refused, never silently lowered: the prescriber decides what to give.
Rounding rules and the cap have no authoritative source (CLINICAL.md §9.4, §13 item 10):
both are the clinic's settings.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

# The international avoirdupois pound, exactly (UCUM [lb_av]).
KG_PER_LB = Decimal("0.45359237")
KG = "kg"
LB = "lb"

# Weights no adult in a chair can have: a typing slip, not a patient (physical bounds,
# not clinical thresholds).
MIN_WEIGHT_KG = Decimal("20")
MAX_WEIGHT_KG = Decimal("350")

ROUND_NEAREST = "nearest"
ROUND_DOWN_RULE = "down"


class DoseError(ValueError):
    """A figure that cannot be used; `field` names the form field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Rules:
    """The clinic's dosing settings (dendrite/settings.py, INFUSION_*)."""

    min_mg_per_kg: Decimal
    max_mg_per_kg: Decimal
    max_dose_mg: Decimal
    concentrations_mg_per_ml: tuple[Decimal, ...]
    dose_step_mg: Decimal = Decimal("0.5")
    rounding: str = ROUND_NEAREST
    volume_step_ml: Decimal = Decimal("0.01")
    # 0.01 mL/h: with a 100 mg/mL vial and no diluent the volume is a fraction of a mL,
    # and a 0.1 mL/h step would change the dose given by up to a tenth (found by the
    # property test in tests/test_dosing.py).
    rate_step_ml_per_h: Decimal = Decimal("0.01")
    diluent_ml: Decimal = Decimal("0")


@dataclass(frozen=True)
class Dose:
    weight_kg: Decimal
    mg_per_kg: Decimal
    concentration_mg_per_ml: Decimal
    minutes: int
    dose_mg: Decimal
    drawn_ml: Decimal
    total_ml: Decimal
    rate_ml_per_h: Decimal


def _step(value: Decimal, step: Decimal, rule: str = ROUND_NEAREST) -> Decimal:
    mode = ROUND_DOWN if rule == ROUND_DOWN_RULE else ROUND_HALF_UP
    return ((value / step).quantize(Decimal("1"), rounding=mode) * step).quantize(step)


def to_kg(value: Decimal, unit: str) -> Decimal:
    """A weight as entered, in kilograms to 0.1 kg."""
    if unit not in (KG, LB):
        raise DoseError("weight_unit", "Please choose kilograms or pounds.")
    kilograms = value * KG_PER_LB if unit == LB else value
    return kilograms.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def to_lb(kilograms: Decimal) -> Decimal:
    return (kilograms / KG_PER_LB).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def check_weight(kilograms: Decimal) -> Decimal:
    if not MIN_WEIGHT_KG <= kilograms <= MAX_WEIGHT_KG:
        raise DoseError(
            "weight",
            f"A weight of {kilograms} kg cannot be right. Please weigh the patient again "
            "and check kilograms or pounds.",
        )
    return kilograms


def check_mg_per_kg(mg_per_kg: Decimal, rules: Rules) -> Decimal:
    if not rules.min_mg_per_kg <= mg_per_kg <= rules.max_mg_per_kg:
        raise DoseError(
            "mg_per_kg",
            f"The clinic allows {rules.min_mg_per_kg} to {rules.max_mg_per_kg} mg/kg; "
            f"{mg_per_kg} mg/kg is outside that range.",
        )
    return mg_per_kg


def check_concentration(concentration: Decimal, rules: Rules) -> Decimal:
    if concentration not in rules.concentrations_mg_per_ml:
        stocked = ", ".join(f"{c} mg/mL" for c in rules.concentrations_mg_per_ml)
        raise DoseError(
            "concentration",
            f"{concentration} mg/mL is not a concentration the clinic stocks ({stocked}). "
            "Please read the vial's label again.",
        )
    return concentration


def calculate(
    weight_kg: Decimal, mg_per_kg: Decimal, concentration_mg_per_ml: Decimal, minutes: int,
    rules: Rules,
) -> Dose:  # fmt: skip
    """The dose and pump settings, or DoseError naming the figure that is wrong."""
    check_weight(weight_kg)
    check_mg_per_kg(mg_per_kg, rules)
    check_concentration(concentration_mg_per_ml, rules)
    if minutes <= 0:
        raise DoseError("minutes", "The infusion must last at least one minute.")
    dose_mg = _step(weight_kg * mg_per_kg, rules.dose_step_mg, rules.rounding)
    if dose_mg <= 0:
        raise DoseError("weight", "This weight and dose give no ketamine at all.")
    if dose_mg > rules.max_dose_mg:
        raise DoseError(
            "mg_per_kg",
            f"{dose_mg} mg is more than the clinic's maximum of {rules.max_dose_mg} mg for "
            "one infusion. A prescriber must decide the dose.",
        )
    drawn_ml = _step(dose_mg / concentration_mg_per_ml, rules.volume_step_ml)
    total_ml = drawn_ml + rules.diluent_ml
    rate = _step(total_ml * 60 / Decimal(minutes), rules.rate_step_ml_per_h)
    return Dose(
        weight_kg=weight_kg,
        mg_per_kg=mg_per_kg,
        concentration_mg_per_ml=concentration_mg_per_ml,
        minutes=minutes,
        dose_mg=dose_mg,
        drawn_ml=drawn_ml,
        total_ml=total_ml,
        rate_ml_per_h=rate,
    )


# Two weighings of one patient by two people agree within this much (one scale step).
WEIGHT_TOLERANCE_KG = Decimal("0.1")


def disagreements(first: Dose, second: Dose) -> list[str]:
    """What differs between two independent calculations (empty when they agree)."""
    found = []
    if abs(first.weight_kg - second.weight_kg) > WEIGHT_TOLERANCE_KG:
        found.append("weight")
    if first.concentration_mg_per_ml != second.concentration_mg_per_ml:
        found.append("concentration")
    if not found and (first.dose_mg, first.drawn_ml, first.rate_ml_per_h) != (
        second.dose_mg, second.drawn_ml, second.rate_ml_per_h,
    ):  # fmt: skip
        found.append("dose")
    return found
