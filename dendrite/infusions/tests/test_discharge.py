"""Recovery and discharge: the clinic's score (Modified Aldrete by default), vital signs
back within 20 % of baseline, the named escort present; then the after-care sheet in
English or Spanish."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dendrite.conftest import signed_in
from dendrite.infusions import actions
from dendrite.infusions.models import Infusion

from .conftest import GOOD_VITALS, running

pytestmark = pytest.mark.django_db
FULL_ALDRETE = {
    f"discharge-score_{k}": "2"
    for k in ("activity", "respiration", "circulation", "consciousness", "spo2")
}


def url(visit, name):
    return reverse(f"infusions:{name}", args=[visit.pk])


@pytest.fixture
def recovering(visit, order, nurse, nurse_two):
    infusion = running(visit, nurse, nurse_two, order)
    actions.stop(infusion, by=nurse, reason="completed", note="", infused_ml=Decimal("4.00"))
    return Infusion.objects.get()


def test_the_nurse_discharges_a_patient_who_meets_every_criterion(visit, recovering, nurse):
    actions.record_vitals(recovering, by=nurse, values=GOOD_VITALS | {"systolic": Decimal(130)})
    response = signed_in(nurse).post(
        url(visit, "discharge"), FULL_ALDRETE | {"discharge-escort_present": "on"}
    )
    assert response.status_code == 302
    infusion = Infusion.objects.get()
    assert (infusion.stage, infusion.discharge_score, infusion.discharged_by) == (
        "ready",
        10,
        nurse,
    )
    visit.refresh_from_db()
    assert visit.status == "done"
    assert "Discharged at" in signed_in(nurse).get(url(visit, "chairside")).content.decode()


def test_a_low_score_refuses_discharge(visit, recovering, nurse):
    actions.record_vitals(recovering, by=nurse, values=GOOD_VITALS)
    post = FULL_ALDRETE | {"discharge-score_consciousness": "0", "discharge-escort_present": "on"}
    response = signed_in(nurse).post(url(visit, "discharge"), post)
    assert "is 8; the clinic discharges at 9" in " ".join(
        response.context["page"].forms["discharge"].non_field_errors()
    )
    assert Infusion.objects.get().stage == "recovering"


def test_vitals_far_from_baseline_refuse_discharge(visit, recovering, nurse):
    actions.record_vitals(
        recovering, by=nurse, values=GOOD_VITALS | {"systolic": Decimal(160)}
    )  # +31 %
    response = signed_in(nurse).post(
        url(visit, "discharge"), FULL_ALDRETE | {"discharge-escort_present": "on"}
    )
    assert "within 20% of the patient's baseline" in " ".join(
        response.context["page"].forms["discharge"].non_field_errors()
    )
    assert Infusion.objects.get().stage == "recovering"


def test_no_escort_no_discharge(visit, recovering, nurse):
    actions.record_vitals(recovering, by=nurse, values=GOOD_VITALS)
    response = signed_in(nurse).post(url(visit, "discharge"), FULL_ALDRETE)
    assert "Sam Lovelace" in " ".join(
        response.context["page"].forms["discharge"].errors["escort_present"]
    )
    assert Infusion.objects.get().stage == "recovering"


def test_a_missing_score_item_is_refused_per_field(visit, recovering, nurse):
    post = {k: v for k, v in FULL_ALDRETE.items() if "spo2" not in k} | {
        "discharge-escort_present": "on"
    }
    response = signed_in(nurse).post(url(visit, "discharge"), post)
    assert response.context["page"].forms["discharge"].errors["score_spo2"]


def test_a_clinic_without_a_score_discharges_on_vitals_and_escort(
    visit, recovering, nurse, settings
):
    settings.INFUSION_DISCHARGE_SCORE = "none"
    actions.record_vitals(recovering, by=nurse, values=GOOD_VITALS)
    signed_in(nurse).post(url(visit, "discharge"), {"discharge-escort_present": "on"})
    assert Infusion.objects.get().stage == "ready"


def test_the_wrong_role_and_another_location_cannot_discharge(
    visit, recovering, front_desk, prescriber_hartford
):
    post = FULL_ALDRETE | {"discharge-escort_present": "on"}
    assert signed_in(front_desk).post(url(visit, "discharge"), post).status_code == 403
    assert signed_in(prescriber_hartford).post(url(visit, "discharge"), post).status_code == 404
    assert Infusion.objects.get().stage == "recovering"


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "Do not drive"), ("es", "No maneje"), ("xx", "Do not drive")],
)
def test_the_after_care_sheet_in_english_or_spanish_with_the_clinic_phone_and_988(
    visit, nurse, lang, words
):
    page = signed_in(nurse).get(url(visit, "aftercare") + f"?lang={lang}").content.decode()
    assert words in page and "988" in page and "(617) 555-0100" in page and "911" in page


def test_the_after_care_sheet_is_for_clinical_staff_of_the_location(
    visit, front_desk, prescriber_hartford
):
    assert signed_in(front_desk).get(url(visit, "aftercare")).status_code == 403
    assert signed_in(prescriber_hartford).get(url(visit, "aftercare")).status_code == 404
