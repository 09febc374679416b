"""Receiving stock, counts, disposal and loss: each one transaction, audited."""

from decimal import Decimal

import pytest

from dendrite.audit.models import AuditEvent
from dendrite.controlled import actions
from dendrite.controlled.models import Count, Movement, Vial

from .conftest import D, administer, receive

pytestmark = pytest.mark.django_db


def balance(vial: Vial) -> Decimal:
    return Vial.objects.with_balance().get(pk=vial.pk).balance_ml


def test_receiving_numbers_the_vials_per_location_and_enters_each_full(
    boston, hartford, nurse, prescriber_hartford
):
    receive(boston, nurse, vials=2)
    receive(boston, nurse, vials=1, invoice_number="INV-1002")
    receive(hartford, prescriber_hartford, vials=1)
    assert list(Vial.objects.filter(location=boston).values_list("number", flat=True)) == [1, 2, 3]
    assert Vial.objects.get(location=hartford).number == 1
    received = Movement.objects.filter(kind=Movement.Kind.RECEIVED)
    assert received.count() == 4 and {m.balance_after_ml for m in received} == {D("10")}
    assert AuditEvent.objects.filter(action="controlled.receipt.create").count() == 3


def test_a_count_that_matches_needs_no_explanation(boston, boston_vials, nurse):
    counted = {v.pk: (D("10"), False) for v in boston_vials}
    count = actions.record_count(
        location=boston, kind=Count.Kind.DAILY, timing=Count.Timing.CLOSE, counted=counted,
        explanation="", by=nurse,
    )  # fmt: skip
    assert not count.has_discrepancy and count.expected_ml == count.counted_ml == D("20")
    assert count.lines.count() == 2 and not count.adjustments.exists()


def test_a_discrepancy_must_be_explained_and_then_corrects_the_balance(boston, boston_vials, nurse):
    counted = {boston_vials[0].pk: (D("9.50"), True), boston_vials[1].pk: (D("10"), False)}
    with pytest.raises(actions.Refused) as refused:
        actions.record_count(
            location=boston, kind=Count.Kind.DAILY, timing=Count.Timing.CLOSE,
            counted=counted, explanation="  ", by=nurse,
        )  # fmt: skip
    assert "explanation" in refused.value.errors and not Count.objects.exists()
    count = actions.record_count(
        location=boston, kind=Count.Kind.BIENNIAL, timing=Count.Timing.OPENING,
        counted=counted, explanation="Estimated: the vial is opened.", by=nurse,
    )  # fmt: skip
    assert count.has_discrepancy
    adjustment = count.adjustments.get()
    assert adjustment.change_ml == D("-0.50") and adjustment.balance_after_ml == D("9.50")
    assert balance(boston_vials[0]) == D("9.50")
    assert count.lines.get(vial=boston_vials[0]).estimated


def test_a_count_of_stock_that_changed_meanwhile_is_refused(boston, boston_vials, nurse):
    counted = {boston_vials[0].pk: (D("10"), False)}  # vial 2 was received meanwhile
    with pytest.raises(actions.Refused) as refused:
        actions.record_count(
            location=boston, kind=Count.Kind.DAILY, timing=Count.Timing.CLOSE,
            counted=counted, explanation="", by=nurse,
        )  # fmt: skip
    assert "__all__" in refused.value.errors and not Count.objects.exists()


def test_an_empty_location_can_record_a_zero_initial_inventory(hartford, prescriber_hartford):
    count = actions.record_count(
        location=hartford, kind=Count.Kind.INITIAL, timing=Count.Timing.OPENING, counted={},
        explanation="", by=prescriber_hartford,
    )  # fmt: skip
    assert count.counted_ml == D("0") and not count.lines.exists()


def test_a_loss_takes_the_volume_out_and_cannot_exceed_the_balance(boston_vials, nurse):
    from django.utils import timezone

    with pytest.raises(actions.Refused):
        actions.record_loss(
            vial=boston_vials[0], volume_ml=D("10.01"), discovered_at=timezone.now(),
            description="Vial broken on the floor.", by=nurse,
        )  # fmt: skip
    loss = actions.record_loss(
        vial=boston_vials[0], volume_ml=D("10"), discovered_at=timezone.now(),
        description="Vial broken on the floor.", by=nurse,
    )  # fmt: skip
    assert loss.kind == Movement.Kind.LOST and balance(boston_vials[0]) == D("0")
    assert AuditEvent.objects.filter(action="controlled.movement.lost").exists()


def test_a_disposal_is_witnessed_and_takes_what_is_left(
    boston_vials, alice_infusion, nurse, prescriber
):
    vial = boston_vials[0]
    administer(vial, alice_infusion, nurse, prescriber)
    with pytest.raises(actions.Refused) as refused:
        actions.dispose_of_vial(
            vial=vial, kind=Movement.Kind.DISPOSED, method="Reverse distributor",
            reference="RD-77", witness=None, by=nurse,
        )  # fmt: skip
    assert "witness" in refused.value.errors
    disposal = actions.dispose_of_vial(
        vial=vial, kind=Movement.Kind.DISPOSED, method="Reverse distributor",
        reference="RD-77", witness=prescriber, by=nurse,
    )  # fmt: skip
    assert disposal.change_ml == D("-7.20") and balance(vial) == D("0")
    with pytest.raises(actions.Refused):
        actions.dispose_of_vial(
            vial=vial, kind=Movement.Kind.RETURNED, method="", reference="", witness=None,
            by=nurse,
        )  # fmt: skip
