"""The stored record in FHIR shapes: MedicationAdministration and vital-sign Observations."""

from decimal import Decimal

import pytest

from dendrite.infusions import actions, fhir

from .conftest import NOW, running

pytestmark = pytest.mark.django_db


def test_a_stopped_infusion_is_a_completed_medication_administration(
    visit, order, nurse, nurse_two
):
    infusion = running(visit, nurse, nurse_two, order)
    infusion = actions.stop(
        infusion, by=nurse, reason="completed", note="", infused_ml=Decimal("4")
    )
    resource = fhir.medication_administration(infusion)
    assert resource["status"] == "completed"
    assert resource["effectivePeriod"]["start"] == NOW.isoformat()
    assert resource["dosage"]["dose"] == {
        "value": 40.0,
        "unit": "mg",
        "system": fhir.UCUM,
        "code": "mg",
    }
    assert resource["dosage"]["rateQuantity"]["code"] == "mL/h"


def test_vitals_are_coded_observations_with_the_bp_panel_and_both_oximetry_codes(
    visit, order, nurse, nurse_two
):
    infusion = running(visit, nurse, nurse_two, order)
    reading = infusion.vital_signs.prefetch_related("observations").get()
    found = fhir.observations(reading)
    panel = found[0]
    assert panel["code"]["coding"][0]["code"] == "85354-9"
    assert [c["code"]["coding"][0]["code"] for c in panel["component"]] == ["8480-6", "8462-4"]
    assert panel["component"][0]["valueQuantity"]["code"] == "mm[Hg]"
    spo2 = next(o for o in found if o["code"]["coding"][0]["code"] == "59408-5")
    assert [c["code"] for c in spo2["code"]["coding"]] == ["59408-5", "2708-6"]
    assert all(o["category"][0]["coding"][0]["code"] == "vital-signs" for o in found)
