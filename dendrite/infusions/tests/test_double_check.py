"""The dose and its independent double check (CLINICAL.md §9.2): the second clinician
types the weight and the vial's concentration themselves, without seeing the first
figures; the infusion starts only when the two agree, and never on one person's check."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from dendrite.conftest import signed_in
from dendrite.infusions import actions
from dendrite.infusions.models import DoseCheck, Infusion

from .conftest import checked, stock, verified

pytestmark = pytest.mark.django_db


def prepare(vial):
    return {"prepare-vial": str(vial.pk)}


def url(visit, name):
    return reverse(f"infusions:{name}", args=[visit.pk])


def verify_post(weight="80", unit="kg", concentration="10"):
    return {
        "verify-weight": weight,
        "verify-weight_unit": unit,
        "verify-concentration": concentration,
    }


def test_the_first_nurse_prepares_and_sees_every_figure_with_its_unit(visit, order, nurse, vial):
    checked(visit, nurse, order)
    assert signed_in(nurse).post(url(visit, "prepare"), prepare(vial)).status_code == 302
    infusion = Infusion.objects.get()
    assert (infusion.dose_mg, infusion.drawn_ml, infusion.rate_ml_per_h) == (
        Decimal("40.00"),
        Decimal("4.00"),
        Decimal("6.00"),
    )
    page = signed_in(nurse).get(url(visit, "chairside")).content.decode()
    for figure in ("40.00 mg", "4.00 mL", "6.00 mL/h", "10.00 mg/mL", "80.0 kg"):
        assert figure in page


def test_the_checker_does_not_see_the_first_figures_and_gets_empty_fields(
    visit, order, nurse, nurse_two, vial
):
    checked(visit, nurse, order)
    signed_in(nurse).post(url(visit, "prepare"), prepare(vial))
    response = signed_in(nurse_two).get(url(visit, "chairside"))
    page = response.content.decode()
    assert "40.00 mg" not in page and "4.00 mL" not in page and "6.00 mL/h" not in page
    form = response.context["page"].forms["verify"]
    assert form["weight"].value() is None and form["concentration"].value() is None


def test_when_both_agree_the_dose_is_verified_and_the_infusion_may_start(
    visit, order, nurse, nurse_two, vial
):
    checked(visit, nurse, order)
    signed_in(nurse).post(url(visit, "prepare"), prepare(vial))
    response = signed_in(nurse_two).post(
        url(visit, "verify"), verify_post("176.4", "lb"), follow=True
    )
    assert "the dose is verified" in response.content.decode()
    infusion = Infusion.objects.get()
    assert (infusion.stage, infusion.verified_by) == ("verified", nurse_two)
    assert actions.blockers(infusion) == []


def test_a_mismatch_is_kept_refused_and_the_dose_stays_unverified(
    visit, order, nurse, nurse_two, vial
):
    checked(visit, nurse, order)
    signed_in(nurse).post(url(visit, "prepare"), prepare(vial))
    response = signed_in(nurse_two).post(
        url(visit, "verify"), verify_post(concentration="100"), follow=True
    )
    assert "differ in the vial" in response.content.decode()
    infusion = Infusion.objects.get()
    assert infusion.stage == "prepared" and infusion.verified_by is None
    assert DoseCheck.objects.get(kind="verify").differences == ["concentration"]
    with pytest.raises(actions.Refused):
        actions.start(infusion, by=nurse)


def test_the_same_person_cannot_check_their_own_dose(visit, order, nurse, vial):
    checked(visit, nurse, order)
    signed_in(nurse).post(url(visit, "prepare"), prepare(vial))
    infusion = Infusion.objects.get()
    with pytest.raises(actions.Refused, match="another nurse or prescriber"):
        actions.verify_dose(infusion, by=nurse, weight_kg=Decimal(80), concentration=Decimal(10))
    assert "verify" not in signed_in(nurse).get(url(visit, "chairside")).context["page"].forms
    response = signed_in(nurse).post(url(visit, "verify"), verify_post())
    assert "another nurse or prescriber" in str(response.context["page"].forms["verify"].errors)
    assert (
        Infusion.objects.get().stage == "prepared"
        and not DoseCheck.objects.filter(kind="verify").exists()
    )


def test_the_vial_is_chosen_from_the_log_with_what_is_left_in_ml_and_mg(visit, order, nurse, vial):
    checked(visit, nurse, order)
    page = signed_in(nurse).get(url(visit, "chairside")).content.decode()
    assert f"Vial {vial.number}: 10.00 mg/mL, lot L123" in page
    assert "10.00 mL (100.00 mg) left" in page
    signed_in(nurse).post(url(visit, "prepare"), prepare(vial))
    infusion = Infusion.objects.get()
    assert infusion.vial == vial and infusion.concentration_mg_per_ml == Decimal(10)
    assert (infusion.lot, infusion.ndc) == ("L123", "0409-2051-05")


def test_no_vial_or_one_from_another_location_is_refused(
    visit, order, nurse, vial, hartford, prescriber_hartford
):
    checked(visit, nurse, order)
    elsewhere = stock(hartford, prescriber_hartford)
    for post, words in (({}, "choose the vial"), (prepare(elsewhere), "cannot be drawn from here")):
        response = signed_in(nurse).post(url(visit, "prepare"), post)
        assert words in " ".join(response.context["page"].forms["prepare"].errors["vial"])
    assert Infusion.objects.get().dose_mg is None and not DoseCheck.objects.exists()
    with pytest.raises(actions.Refused, match="not kept at this location"):
        actions.prepare_dose(Infusion.objects.get(), by=nurse, vial=elsewhere)


def test_an_expired_vial_is_refused(visit, order, nurse):
    checked(visit, nurse, order)
    old = stock(visit.location, nurse, expires_on=dt.date(2026, 12, 1))
    response = signed_in(nurse).post(url(visit, "prepare"), prepare(old))
    assert "expired on Tue, Dec 1, 2026" in " ".join(
        response.context["page"].forms["prepare"].errors["vial"]
    )
    assert Infusion.objects.get().dose_mg is None


def test_a_dose_over_the_cap_is_refused_and_nothing_is_prepared(
    visit, order, nurse, settings, vial
):
    settings.INFUSION_MAX_DOSE_MG = "30"
    checked(visit, nurse, order)
    response = signed_in(nurse).post(url(visit, "prepare"), prepare(vial))
    errors = response.context["page"].forms["prepare"].non_field_errors()
    assert "more than the clinic's maximum of 30 mg" in " ".join(errors)
    assert Infusion.objects.get().dose_mg is None and not DoseCheck.objects.exists()


def test_the_checkers_impossible_weight_is_refused(visit, order, nurse, nurse_two, vial):
    checked(visit, nurse, order)
    signed_in(nurse).post(url(visit, "prepare"), prepare(vial))
    response = signed_in(nurse_two).post(url(visit, "verify"), verify_post("900"))
    assert "cannot be right" in " ".join(response.context["page"].forms["verify"].errors["weight"])
    assert not DoseCheck.objects.filter(kind="verify").exists()


def test_a_new_order_version_after_the_check_needs_the_dose_prepared_again(
    visit, order, nurse, nurse_two, prescriber
):
    infusion = verified(visit, nurse, nurse_two, order)
    actions.sign_order(
        visit.patient,
        by=prescriber,
        mg_per_kg=Decimal("0.6"),
        minutes=40,
        appointments=[visit],
        replaces=order,
    )
    with pytest.raises(actions.Refused, match="prepare and check the dose again"):
        actions.start(infusion, by=nurse)


def test_a_prescriber_titrates_within_the_order_and_the_dose_must_be_checked_again(
    visit, nurse, nurse_two, prescriber
):
    from .conftest import sign

    order = sign(visit, prescriber, titrate_to_mg_per_kg=Decimal("0.75"))
    infusion = verified(visit, nurse, nurse_two, order)
    bad = signed_in(prescriber).post(url(visit, "titrate"), {"titrate-mg_per_kg": "0.8"})
    assert "needs a new order" in str(bad.context["page"].forms["titrate"].errors)
    assert (
        signed_in(nurse).post(url(visit, "titrate"), {"titrate-mg_per_kg": "0.6"}).status_code
        == 403
    )
    signed_in(prescriber).post(url(visit, "titrate"), {"titrate-mg_per_kg": "0.6"})
    infusion.refresh_from_db()
    assert (infusion.mg_per_kg, infusion.stage, infusion.dose_mg) == (
        Decimal("0.60"),
        "checked",
        None,
    )


def test_the_wrong_role_and_another_location_cannot_prepare(
    visit, order, nurse, front_desk, prescriber_hartford, vial
):
    checked(visit, nurse, order)
    assert signed_in(front_desk).post(url(visit, "prepare"), prepare(vial)).status_code == 403
    assert (
        signed_in(prescriber_hartford).post(url(visit, "prepare"), prepare(vial)).status_code == 404
    )
    assert Infusion.objects.get().dose_mg is None
