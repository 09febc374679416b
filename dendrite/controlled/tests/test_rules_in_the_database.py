"""The log's rules held by the database itself, whatever program writes to it: a waste
larger than what was drawn, a waste without a witness, an unexplained discrepancy are
refused; and the running balance per location agrees with the vials' balances."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from dendrite.controlled import actions, ledger
from dendrite.controlled.models import Count, Movement, Vial

from .conftest import administer

pytestmark = pytest.mark.django_db
D = Decimal


def raw_draw(vial, appointment, by, witness, drawn, given, wasted):
    now = timezone.now()
    return Movement(
        location=vial.location, vial=vial, seq=99, kind=Movement.Kind.ADMINISTERED, at=now,
        recorded_at=now, by=by, witness=witness, change_ml=-drawn, balance_after_ml=D("5"),
        drawn_ml=drawn, given_ml=given, wasted_ml=wasted, patient_id=appointment.patient_id,
        appointment=appointment,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("drawn", "given", "wasted", "witnessed"),
    [
        (D("1"), D("0"), D("1.5"), True),  # more wasted than drawn
        (D("2"), D("1"), D("1.5"), True),  # does not add up
        (D("2"), D("1.5"), D("0.5"), False),  # waste without a witness
    ],
)
def test_the_database_refuses_a_draw_that_breaks_the_rules(
    boston_vials, alice_infusion, nurse, prescriber, drawn, given, wasted, witnessed
):
    movement = raw_draw(
        boston_vials[0], alice_infusion, nurse, prescriber if witnessed else None,
        drawn, given, wasted,
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        movement.save()
    assert not Movement.objects.filter(kind=Movement.Kind.ADMINISTERED).exists()


def test_the_database_refuses_a_discrepancy_without_an_explanation(boston, nurse):
    now = timezone.now()
    count = Count(
        location=boston, kind=Count.Kind.DAILY, timing=Count.Timing.CLOSE, taken_at=now,
        by=nurse, signed_at=now, expected_ml=D("20"), counted_ml=D("19"),
        has_discrepancy=True, explanation="",
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        count.save()


def test_a_discrepancy_is_signed_by_the_person_who_counted(boston, boston_vials, nurse):
    vials = Vial.objects.in_stock().filter(location=boston)
    counted = {v.pk: (v.balance_ml, False) for v in vials} | {boston_vials[0].pk: (D("9"), False)}
    with pytest.raises(actions.Refused):
        actions.record_count(
            location=boston, kind="daily", timing="close", counted=counted, explanation=" ",
            by=nurse,
        )  # fmt: skip
    count = actions.record_count(
        location=boston, kind="daily", timing="close", counted=counted,
        explanation="Dropped and broken.", by=nurse,
    )  # fmt: skip
    assert count.by == nurse and count.signed_at and count.has_discrepancy


def test_the_running_balance_of_the_location_ends_at_its_stock(
    boston, boston_vials, alice_infusion, nurse, prescriber
):
    for vial in boston_vials:
        administer(vial, alice_infusion, nurse, prescriber)
    actions.record_loss(
        vial=boston_vials[1], volume_ml=D("1.00"), discovered_at=timezone.now(),
        description="Vial cracked in the safe.", by=nurse,
    )  # fmt: skip
    newest = ledger.ledger_page(nurse, boston, 1).object_list[0]
    stock = ledger.stock(boston)
    # 2 × 500 mg, less 2 × 140 mg drawn and 50 mg lost.
    assert stock["total_mg"] == D("670.00")
    assert D(newest.location_balance_mg).quantize(D("0.01")) == stock["total_mg"]
