"""The infusion record and the controlled-substance log, joined: the dose is drawn from a
vial chosen from the log; the start refuses a draw the vial cannot hold; the stop
records one administration (drawn, given, wasted, witnessed by the double checker)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from dendrite.conftest import signed_in
from dendrite.controlled import actions as controlled
from dendrite.controlled.models import Movement, Vial
from dendrite.infusions import actions
from dendrite.infusions.models import DoseCheck, Infusion, InfusionEvent
from dendrite.scheduling.models import Kind
from dendrite.scheduling.tests.conftest import clear_for_infusions, make_appointment

from .conftest import checked, running, sign, stock, verified

pytestmark = pytest.mark.django_db
D = Decimal


def balance(vial):
    (found,) = [v for v in Vial.objects.with_balance().filter(pk=vial.pk)]
    return D(str(found.balance_ml)).quantize(D("0.01"))


def location_balance(location):
    vials = Vial.objects.with_balance().filter(location=location)
    return sum((D(str(v.balance_ml)).quantize(D("0.01")) for v in vials), D(0))


def test_a_whole_infusion_leaves_one_witnessed_administration_and_exact_balances(
    visit, order, nurse, nurse_two, vial
):
    stock(visit.location, nurse)  # a second vial, untouched
    infusion = running(visit, nurse, nurse_two, order, vial)
    assert not Movement.objects.filter(kind="administered").exists()  # recorded at the stop
    actions.stop(
        infusion, by=nurse, reason="patient_request", note="Asked", infused_ml=D("3.00"),
        witness=nurse_two, witness_confirmed=True,
    )  # fmt: skip
    (draw,) = Movement.objects.filter(kind="administered")
    # 0.5 mg/kg × 80 kg = 40 mg = 4.00 mL of 10 mg/mL; 3.00 of 4.00 mL infused.
    assert (draw.drawn_ml, draw.given_ml, draw.wasted_ml) == (D("4.00"), D("3.00"), D("1.00"))
    assert (draw.by, draw.witness, draw.vial) == (nurse, nurse_two, vial)
    assert (draw.appointment_id, draw.patient_id) == (visit.pk, visit.patient_id)
    assert Infusion.objects.get().given_mg == D("30.00")
    assert balance(vial) == D("6.00")
    assert location_balance(visit.location) == D("16.00")


def test_a_preparation_the_vial_cannot_hold_is_refused_and_nothing_is_prepared(visit, order, nurse):
    small = stock(visit.location, nurse, volume_ml=D(3))
    infusion = checked(visit, nurse, order)
    with pytest.raises(actions.Refused, match=r"Only 3\.00 mL is left in vial 1") as refused:
        actions.prepare_dose(infusion, by=nurse, vial=small)
    assert refused.value.field == "vial"
    assert Infusion.objects.get().stage == "checked" and not DoseCheck.objects.exists()
    post = {"prepare-vial": str(small.pk)}
    response = signed_in(nurse).post(reverse("infusions:prepare", args=[visit.pk]), post)
    assert response.status_code == 200
    errors = response.context["page"].forms["prepare"].errors["vial"]
    assert "the 4.00 mL this dose needs cannot be drawn" in " ".join(errors)
    assert Infusion.objects.get().dose_mg is None and balance(small) == D("3.00")


def test_a_start_that_would_overdraw_the_vial_is_refused_and_nothing_starts(
    visit, order, nurse, nurse_two, prescriber
):
    six = stock(visit.location, nurse, volume_ml=D(6))
    infusion = verified(visit, nurse, nurse_two, order, six)
    # Between the check and the start, 3 mL of the vial is drawn in the log itself.
    controlled.record_administration(
        vial=six, drawn_ml=D("3.00"), given_ml=D("3.00"), wasted_ml=D(0), by=prescriber,
        witness=None, appointment_id=visit.pk, patient_id=visit.patient_id,
    )  # fmt: skip
    with pytest.raises(actions.Refused, match=r"Only 3\.00 mL is left in vial 1"):
        actions.start(infusion, by=nurse)
    assert Infusion.objects.get().stage == "verified" and not InfusionEvent.objects.exists()
    response = signed_in(nurse).post(reverse("infusions:start", args=[visit.pk]), follow=True)
    assert response.status_code == 200
    assert "4.00 mL cannot be drawn from it" in response.content.decode()
    assert Infusion.objects.get().started_at is None and balance(six) == D("3.00")


def test_the_log_still_refuses_at_the_stop_a_draw_the_vial_no_longer_holds(
    visit, order, nurse, nurse_two, vial
):
    running(visit, nurse, nurse_two, order, vial)
    infusion = Infusion.objects.get()
    # Someone takes 6.50 mL from the same vial meanwhile, in the log itself.
    controlled.record_administration(
        vial=vial, drawn_ml=D("6.50"), given_ml=D("6.50"), wasted_ml=D(0), by=nurse_two,
        witness=None, appointment_id=visit.pk, patient_id=visit.patient_id,
    )  # fmt: skip
    with pytest.raises(actions.Refused, match=r"Only 3\.50 mL is left"):
        actions.stop(infusion, by=nurse, reason="completed", note="", infused_ml=D("4.00"))
    assert Infusion.objects.get().stage == "running"


def test_a_refusal_of_the_log_at_the_stop_saves_nothing_and_reaches_the_nurse(
    visit, order, nurse, nurse_two, vial
):
    running(visit, nurse, nurse_two, order, vial)
    nurse_two.is_active = False  # the witness left the clinic meanwhile
    nurse_two.save()
    # Nothing wasted: the double checker who saw the dose drawn is named on the draw.
    post = {"stop-reason": "patient_request", "stop-note": "Asked", "stop-infused_ml": "4"}
    response = signed_in(nurse).post(reverse("infusions:stop", args=[visit.pk]), post)
    assert response.status_code == 200
    errors = " ".join(response.context["page"].forms["stop"].errors["witness"])
    assert "nurse or prescriber who works at this location" in errors
    assert Infusion.objects.get().stage == "running" and Infusion.objects.get().stopped_at is None
    assert not Movement.objects.filter(kind="administered").exists()
    assert balance(vial) == D("10.00")


def test_a_second_preparation_counts_what_a_running_infusion_has_drawn_from_the_vial(
    visit, order, nurse, nurse_two, prescriber, bob
):
    six = stock(visit.location, nurse, volume_ml=D(6))
    running(visit, nurse, nurse_two, order, six)  # 4.00 mL drawn, recorded at its stop
    clear_for_infusions(bob, nurse_two)
    later = visit.starts_at + dt.timedelta(hours=2)
    second = make_appointment(bob, Kind.INFUSION, later, nurse_two)
    infusion = checked(second, nurse_two, sign(second, prescriber))
    with pytest.raises(actions.Refused, match=r"Only 2\.00 mL is left in vial 1"):
        actions.prepare_dose(infusion, by=nurse_two, vial=six)
    assert Infusion.objects.get(pk=infusion.pk).stage == "checked"
