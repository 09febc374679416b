"""Drawing ketamine for an infusion: the interface the infusion record calls."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test.utils import override_settings

from dendrite.audit.models import AuditEvent
from dendrite.conftest import make_user
from dendrite.controlled import actions, balances
from dendrite.controlled.models import AppendOnlyError, Movement, Vial

from .conftest import D, administer, receive

pytestmark = pytest.mark.django_db


def balance(vial: Vial) -> Decimal:
    return Vial.objects.with_balance().get(pk=vial.pk).balance_ml


def test_an_administration_takes_what_was_drawn_from_the_vial_and_records_the_waste(
    boston_vials, alice_infusion, nurse, prescriber
):
    vial = boston_vials[0]
    movement = administer(vial, alice_infusion, nurse, prescriber)
    assert movement.kind == Movement.Kind.ADMINISTERED
    assert (movement.drawn_ml, movement.given_ml, movement.wasted_ml) == (
        D("2.80"), D("2.50"), D("0.30"),
    )  # fmt: skip
    assert movement.change_ml == D("-2.80") and movement.balance_after_ml == D("7.20")
    assert movement.witness == prescriber and movement.patient_id == alice_infusion.patient_id
    assert balance(vial) == D("7.20") and balance(boston_vials[1]) == D("10.00")
    event = AuditEvent.objects.get(action="controlled.movement.administered")
    assert event.patient_id == str(alice_infusion.patient_id)
    assert event.detail["wasted_ml"] == "0.30"


def test_nothing_wasted_needs_no_witness(boston_vials, alice_infusion, nurse):
    movement = administer(
        boston_vials[0], alice_infusion, nurse, None,
        drawn_ml=D("2.5"), given_ml=D("2.5"), wasted_ml=D("0"),
    )  # fmt: skip
    assert movement.witness is None and movement.balance_after_ml == D("7.50")


@pytest.mark.parametrize(
    ("volumes", "field"),
    [
        ({"drawn_ml": D("2"), "given_ml": D("1.5"), "wasted_ml": D("0.6")}, "wasted_ml"),
        ({"drawn_ml": D("2"), "given_ml": D("2.5"), "wasted_ml": D("0")}, "given_ml"),
        ({"drawn_ml": D("1"), "given_ml": D("0"), "wasted_ml": D("1.01")}, "wasted_ml"),
        ({"drawn_ml": D("0"), "given_ml": D("0"), "wasted_ml": D("0")}, "drawn_ml"),
        ({"drawn_ml": D("-1"), "given_ml": D("0"), "wasted_ml": D("0")}, "drawn_ml"),
        ({"drawn_ml": D("2.555"), "given_ml": D("2.5"), "wasted_ml": D("0.055")}, "drawn_ml"),
        ({"drawn_ml": D("10.01"), "given_ml": D("10"), "wasted_ml": D("0.01")}, "drawn_ml"),
        ({"drawn_ml": 2.8, "given_ml": D("2.5"), "wasted_ml": D("0.3")}, "drawn_ml"),
        ({"drawn_ml": D("NaN"), "given_ml": D("2.5"), "wasted_ml": D("0.3")}, "drawn_ml"),
    ],
)
def test_volumes_that_do_not_add_up_are_refused_and_nothing_is_saved(
    boston_vials, alice_infusion, nurse, prescriber, volumes, field
):
    with pytest.raises(actions.Refused) as refused:
        administer(boston_vials[0], alice_infusion, nurse, prescriber, **volumes)
    assert field in refused.value.errors
    assert Movement.objects.filter(kind=Movement.Kind.ADMINISTERED).count() == 0
    assert balance(boston_vials[0]) == D("10.00")


def test_the_whole_vial_can_be_drawn_but_not_a_hundredth_more(
    boston_vials, alice_infusion, nurse, prescriber
):
    vial = boston_vials[0]
    administer(vial, alice_infusion, nurse, prescriber, drawn_ml=D("9.99"), given_ml=D("9.99"),
               wasted_ml=D("0"))  # fmt: skip
    with pytest.raises(actions.Refused) as refused:
        administer(vial, alice_infusion, nurse, prescriber, drawn_ml=D("0.02"),
                   given_ml=D("0.02"), wasted_ml=D("0"))  # fmt: skip
    assert refused.value.errors == {
        "drawn_ml": "Only 0.01 mL is left in this vial, so 0.02 mL cannot be taken from it."
    }
    administer(vial, alice_infusion, nurse, prescriber, drawn_ml=D("0.01"), given_ml=D("0.01"),
               wasted_ml=D("0"))  # fmt: skip
    assert balance(vial) == D("0.00")


def test_waste_without_a_witness_or_witnessed_by_oneself_is_refused(
    boston_vials, alice_infusion, nurse, front_desk, prescriber_hartford
):
    for witness, message in [
        (None, actions.WITNESS_NEEDED),
        (nurse, actions.WITNESS_SELF),
        (front_desk, actions.WITNESS_NOT_HERE),
        (prescriber_hartford, actions.WITNESS_NOT_HERE),
    ]:
        with pytest.raises(actions.Refused) as refused:
            administer(boston_vials[0], alice_infusion, nurse, witness)
        assert refused.value.errors == {"witness": message}
    assert not Movement.objects.filter(kind=Movement.Kind.ADMINISTERED).exists()


def test_an_inactive_witness_is_refused(boston, boston_vials, alice_infusion, nurse):
    gone = make_user("gone_nurse", "nurse", boston)
    gone.is_active = False
    gone.save()
    with pytest.raises(actions.Refused) as refused:
        administer(boston_vials[0], alice_infusion, nurse, gone)
    assert "witness" in refused.value.errors


def test_another_locations_vial_or_appointment_is_refused(
    boston_vials, hartford_vial, alice_infusion, charlie_infusion, nurse, prescriber
):
    with pytest.raises(actions.Refused) as refused:
        administer(hartford_vial, alice_infusion, nurse, prescriber)
    assert "appointment_id" in refused.value.errors and "__all__" in refused.value.errors
    with pytest.raises(actions.Refused) as refused:
        administer(boston_vials[0], charlie_infusion, nurse, prescriber)
    assert "appointment_id" in refused.value.errors


def test_a_patient_other_than_the_appointments_is_refused(
    boston_vials, alice_infusion, bob, nurse, prescriber
):
    with pytest.raises(actions.Refused) as refused:
        actions.record_administration(
            vial=boston_vials[0], drawn_ml=D("1"), given_ml=D("1"), wasted_ml=D("0"),
            by=nurse, witness=prescriber, appointment_id=alice_infusion.pk, patient_id=bob.pk,
        )  # fmt: skip
    assert "patient_id" in refused.value.errors


def test_front_desk_cannot_draw(boston_vials, alice_infusion, front_desk, nurse):
    with pytest.raises(actions.Refused) as refused:
        administer(boston_vials[0], alice_infusion, front_desk, nurse)
    assert "__all__" in refused.value.errors


def test_an_expired_vial_is_refused_on_the_day_after_its_expiry(
    boston, nurse, prescriber, alice_infusion
):
    today = boston.local_now().date()
    vial = receive(boston, nurse, vials=1, expires_on=today).vials.get()
    administer(vial, alice_infusion, nurse, prescriber)  # the expiry day itself is fine
    tomorrow = dt.datetime.now(tz=boston.tz) + dt.timedelta(days=1)
    with time_machine.travel(tomorrow), pytest.raises(actions.Refused) as refused:
        administer(vial, alice_infusion, nurse, prescriber)
    assert "expired" in refused.value.errors["vial"]


@override_settings(OPENED_VIAL_DAYS=28)
def test_an_opened_vial_is_refused_after_its_beyond_use_date(
    boston_vials, alice_infusion, nurse, prescriber, boston
):
    vial = boston_vials[0]
    administer(vial, alice_infusion, nurse, prescriber)
    with time_machine.travel(dt.datetime.now(tz=boston.tz) + dt.timedelta(days=28)):
        administer(vial, alice_infusion, nurse, prescriber)
    day_29 = dt.datetime.now(tz=boston.tz) + dt.timedelta(days=29)
    with time_machine.travel(day_29), pytest.raises(actions.Refused) as refused:
        administer(vial, alice_infusion, nurse, prescriber)
    assert "may not be used after" in refused.value.errors["vial"]


def test_the_ledger_cannot_be_changed_or_deleted_through_the_models(
    boston_vials, alice_infusion, nurse, prescriber
):
    movement = administer(boston_vials[0], alice_infusion, nurse, prescriber)
    movement.given_ml = D("2.8")
    with pytest.raises(AppendOnlyError):
        movement.save()
    with pytest.raises(AppendOnlyError):
        movement.delete()
    with pytest.raises(AppendOnlyError):
        Movement.objects.filter(pk=movement.pk).update(given_ml=D("2.8"))
    with pytest.raises(AppendOnlyError):
        Vial.objects.all().delete()


@pytest.mark.parametrize("table", ["movement", "vial", "receipt", "count", "countline"])
def test_the_database_refuses_raw_updates_and_deletes(boston_vials, nurse, table):
    # Records are kept (21 CFR 1304.04(a)): not even a raw DELETE goes through.
    vials = Vial.objects.in_stock().filter(location=boston_vials[0].location)
    actions.record_count(
        location=boston_vials[0].location, kind="daily", timing="close",
        counted={v.pk: (v.balance_ml, False) for v in vials}, explanation="", by=nurse,
    )  # fmt: skip
    for sql in (
        f"UPDATE controlled_{table} SET id = id",
        f"DELETE FROM controlled_{table}",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)


def test_the_stored_ledger_adds_up(boston_vials, alice_infusion, nurse, prescriber):
    for _ in range(3):
        administer(boston_vials[0], alice_infusion, nurse, prescriber)
    rows = Movement.objects.filter(vial=boston_vials[0]).order_by("seq")
    assert balances.check_ledger((m.change_ml, m.balance_after_ml) for m in rows) is None
    assert [m.seq for m in rows] == [1, 2, 3, 4]


def test_postgresql_refuses_to_truncate_the_ledger(db):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE triggers exist on PostgreSQL only")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE controlled_movement CASCADE")
