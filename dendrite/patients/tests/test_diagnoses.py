"""Diagnoses: ICD-10-CM codes checked for their shape, described from the clinic's list."""

import pytest

from dendrite.conftest import signed_in
from dendrite.patients.models import Diagnosis

from .conftest import add_diagnosis, audited, url

pytestmark = pytest.mark.django_db


def test_a_nurse_adds_a_listed_code_and_its_description_is_filled_in(nurse, alice):
    response = signed_in(nurse).post(
        url("diagnosis_add", alice), {"code": " f33.1 ", "description": ""}
    )
    assert response.status_code == 302 and response.url.endswith("#diagnoses")
    diagnosis = Diagnosis.objects.get()
    assert (diagnosis.code, diagnosis.description) == (
        "F33.1",
        "Major depressive disorder, recurrent, moderate",
    )
    assert diagnosis.recorded_by == nurse
    [event] = audited("patients.diagnosis.create")
    assert event.patient_id == str(alice.pk) and "F33" not in str(event.detail)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("F41.1", "F41.1"),
        ("F4310", "F43.10"),
        ("f10.20", "F10.20"),
        ("F11.23", "F11.23"),
        ("F19.20", "F19.20"),
        ("F32.A", "F32.A"),
        ("T40.7X1A", "T40.7X1A"),
    ],
)
def test_any_well_formed_code_is_accepted(prescriber, alice, typed, stored):
    data = {"code": typed, "description": "As described by the prescriber"}
    signed_in(prescriber).post(url("diagnosis_add", alice), data)
    assert Diagnosis.objects.get().code == stored


def test_the_form_offers_the_clinics_common_codes(nurse, alice):
    page = signed_in(nurse).get(url("diagnosis_add", alice)).content.decode()
    assert '<datalist id="icd10-codes">' in page and 'value="F41.1"' in page
    assert 'list="icd10-codes"' in page


@pytest.mark.parametrize("code", ["33.1", "F3", "FF3.1", "F33.12345", "F33-1", "depression"])
def test_a_malformed_code_is_refused_with_an_example(nurse, alice, code):
    response = signed_in(nurse).post(
        url("diagnosis_add", alice), {"code": code, "description": "x"}
    )
    [error] = response.context["form"].errors["code"]
    assert "is not an ICD-10-CM code" in error and "F33.1" in error
    assert not Diagnosis.objects.exists()


def test_a_code_off_the_list_needs_a_description(nurse, alice):
    response = signed_in(nurse).post(
        url("diagnosis_add", alice), {"code": "F50.00", "description": ""}
    )
    assert response.context["form"].errors["description"] == [
        "F50.00 is not on the clinic's list, so please describe the diagnosis."
    ]
    assert 'value="F50.00"' in response.content.decode()
    assert not Diagnosis.objects.exists()


def test_a_prescriber_changes_and_removes_a_diagnosis(prescriber, nurse, alice):
    diagnosis = add_diagnosis(alice, nurse)
    client = signed_in(prescriber)
    client.post(url("diagnosis_edit", alice, diagnosis.pk), {"code": "F33.2", "description": ""})
    diagnosis.refresh_from_db()
    assert (diagnosis.code, diagnosis.recorded_by) == ("F33.2", prescriber)
    client.post(url("diagnosis_remove", alice, diagnosis.pk))
    assert not Diagnosis.objects.exists()
    assert audited("patients.diagnosis.delete")[0].patient_id == str(alice.pk)


def test_front_desk_cannot_add_or_see_diagnoses(front_desk, nurse, alice):
    diagnosis = add_diagnosis(alice, nurse)
    client = signed_in(front_desk)
    assert client.get(url("diagnosis_add", alice)).status_code == 403
    assert client.post(url("diagnosis_remove", alice, diagnosis.pk)).status_code == 403
    assert Diagnosis.objects.exists()


def test_another_locations_patient_is_a_404(prescriber_hartford, alice):
    response = signed_in(prescriber_hartford).post(url("diagnosis_add", alice), {"code": "F41.1"})
    assert response.status_code == 404
    assert not Diagnosis.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, alice):
    assert client.post(url("diagnosis_add", alice), {"code": "F41.1"}).status_code == 302
    assert not Diagnosis.objects.exists()
