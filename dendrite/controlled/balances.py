"""The arithmetic of the controlled-substance log: balances, administrations, counts.

Pure: Decimal in, Decimal out, no Django. Volumes are in millilitres (mL) to the
hundredth, doses in milligrams (mg); a float never enters. The log is a paper ledger
kept by the database: each movement of a vial carries the vial's balance after it, so
the running balance can be read, checked (`check_ledger`) and exported line by line.

Ketamine is Schedule III; the records follow CLINICAL.md §8.6 (receipt, administration,
disposal) and §8.5 (inventories: an estimated measure is allowed for an opened CIII
container).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
ML = Decimal("0.01")  # the smallest volume the log records (a 1 mL syringe reads 0.01 mL)
MG = Decimal("0.01")


def to_ml(value: Decimal) -> Decimal:
    return value.quantize(ML, rounding=ROUND_HALF_UP)


def mg(volume_ml: Decimal, mg_per_ml: Decimal) -> Decimal:
    """Milligrams of ketamine in `volume_ml` of a solution of `mg_per_ml`."""
    return (volume_ml * mg_per_ml).quantize(MG, rounding=ROUND_HALF_UP)


def running(changes: Iterable[Decimal], start: Decimal = ZERO) -> list[Decimal]:
    """The balance after each change, in order."""
    balances, balance = [], start
    for change in changes:
        balance += change
        balances.append(balance)
    return balances


def balance(changes: Iterable[Decimal], start: Decimal = ZERO) -> Decimal:
    result = start
    for change in changes:
        result += change
    return result


def check_ledger(rows: Iterable[tuple[Decimal, Decimal]]) -> int | None:
    """The index of the first (change, balance after) row that does not follow from the
    ones before it or leaves a negative balance; None when the whole ledger adds up."""
    previous = ZERO
    for index, (change, after) in enumerate(rows):
        if previous + change != after or after < ZERO:
            return index
        previous = after
    return None


# Field-by-field reasons an administration cannot be recorded (the keys are the
# fields of controlled.actions.record_administration).
DRAWN_NOT_POSITIVE = "Enter the volume drawn from the vial, more than 0 mL."
GIVEN_NEGATIVE = "The volume given cannot be less than 0 mL."
WASTED_NEGATIVE = "The volume wasted cannot be less than 0 mL."
TOO_FINE = "Volumes are recorded to a hundredth of a millilitre (for example 2.55 mL)."
GIVEN_OVER_DRAWN = "More was given than was drawn from the vial. Please check both volumes."
WASTE_MISMATCH = (
    "The volume wasted must be the volume drawn minus the volume given ({expected} mL)."
)


def administration_problems(drawn: Decimal, given: Decimal, wasted: Decimal) -> dict[str, str]:
    """What is wrong with drawn/given/wasted volumes, by field; empty when they add up.

    Drawn is what left the vial; given went into the patient; wasted is the remainder,
    which is pharmaceutical wastage, not inventory (CLINICAL.md §8.7 [A12][A13])."""
    problems: dict[str, str] = {}
    for field, value in (("drawn_ml", drawn), ("given_ml", given), ("wasted_ml", wasted)):
        if value != to_ml(value):
            problems[field] = TOO_FINE
    if drawn <= ZERO:
        problems["drawn_ml"] = DRAWN_NOT_POSITIVE
    if given < ZERO:
        problems["given_ml"] = GIVEN_NEGATIVE
    if wasted < ZERO:
        problems["wasted_ml"] = WASTED_NEGATIVE
    if problems:
        return problems
    if given > drawn:
        problems["given_ml"] = GIVEN_OVER_DRAWN
    elif wasted != drawn - given:
        problems["wasted_ml"] = WASTE_MISMATCH.format(expected=drawn - given)
    return problems


@dataclass(frozen=True)
class CountLine:
    """One vial in a count: what the ledger says is left and what was measured."""

    vial_id: int
    expected_ml: Decimal
    counted_ml: Decimal

    @property
    def difference_ml(self) -> Decimal:
        """Positive: more found than the ledger holds; negative: less."""
        return self.counted_ml - self.expected_ml


@dataclass(frozen=True)
class Reconciliation:
    lines: tuple[CountLine, ...]

    @property
    def discrepancies(self) -> tuple[CountLine, ...]:
        return tuple(line for line in self.lines if line.difference_ml != ZERO)

    @property
    def has_discrepancy(self) -> bool:
        return bool(self.discrepancies)

    @property
    def expected_ml(self) -> Decimal:
        return balance(line.expected_ml for line in self.lines)

    @property
    def counted_ml(self) -> Decimal:
        return balance(line.counted_ml for line in self.lines)


def reconcile(expected: dict[int, Decimal], counted: dict[int, Decimal]) -> Reconciliation:
    """Compare a count with the ledger, vial by vial; a vial the ledger holds that was not
    counted counts as found empty, so nothing can go missing by being left off."""
    vial_ids: Sequence[int] = sorted(set(expected) | set(counted))
    return Reconciliation(
        tuple(
            CountLine(vial_id, expected.get(vial_id, ZERO), counted.get(vial_id, ZERO))
            for vial_id in vial_ids
        )
    )
