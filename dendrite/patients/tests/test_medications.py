"""Medications: name, dose, frequency, start date and whether the patient still takes it."""

import pytest

from dendrite.conftest import signed_in
from dendrite.patients.models import Medication

from .conftest import add_medication, audited, url

pytestmark = pytest.mark.django_db

SERTRALINE = {
    "name": "Sertraline",
    "dose": "100 mg",
    "frequency": "once a day",
    "started_on": "2025-01-15",
    "active": "on",
}


def test_a_nurse_adds_a_medication(nurse, alice):
    response = signed_in(nurse).post(url("medication_add", alice), SERTRALINE)
    assert response.status_code == 302 and response.url.endswith("#medications")
    medication = Medication.objects.get()
    assert (medication.name, medication.active, str(medication.started_on)) == (
        "Sertraline",
        True,
        "2025-01-15",
    )
    assert audited("patients.medication.create")[0].patient_id == str(alice.pk)


def test_a_prescriber_marks_a_medication_stopped_and_then_removes_it(prescriber, nurse, alice):
    medication = add_medication(alice, nurse)
    client = signed_in(prescriber)
    data = SERTRALINE | {"active": ""}
    client.post(url("medication_edit", alice, medication.pk), data)
    medication.refresh_from_db()
    assert medication.active is False
    assert "active" in audited("patients.medication.change")[0].detail["fields"]
    client.post(url("medication_remove", alice, medication.pk))
    assert not Medication.objects.exists()


def test_bad_input_is_explained_and_nothing_is_saved(nurse, alice):
    data = SERTRALINE | {"dose": "", "started_on": "2999-01-01"}
    response = signed_in(nurse).post(url("medication_add", alice), data)
    errors = response.context["form"].errors
    assert errors["dose"] == ["Please enter the dose."]
    assert errors["started_on"] == ["The start date cannot be in the future."]
    assert 'value="once a day"' in response.content.decode()
    assert not Medication.objects.exists()


def test_front_desk_cannot_add_medications(front_desk, alice):
    assert signed_in(front_desk).post(url("medication_add", alice), SERTRALINE).status_code == 403
    assert not Medication.objects.exists()


def test_another_locations_patient_is_a_404(prescriber_hartford, alice):
    assert (
        signed_in(prescriber_hartford).post(url("medication_add", alice), SERTRALINE).status_code
        == 404
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, alice):
    assert client.post(url("medication_add", alice), SERTRALINE).status_code == 302
    assert not Medication.objects.exists()
