"""Allergies, and "no known allergies" recorded as a statement, not as an empty list."""

import pytest

from dendrite.conftest import signed_in
from dendrite.patients.models import Allergy

from .conftest import add_allergy, audited, url

pytestmark = pytest.mark.django_db

LATEX = {"substance": "Latex", "reaction": "hives", "severity": "moderate"}


def test_a_nurse_adds_an_allergy(nurse, alice):
    response = signed_in(nurse).post(url("allergy_add", alice), LATEX)
    assert response.status_code == 302 and response.url.endswith("#allergies")
    assert Allergy.objects.get().severity == "moderate"
    assert audited("patients.allergy.create")[0].patient_id == str(alice.pk)


def test_no_known_allergies_is_recorded_with_who_and_when(nurse, alice):
    response = signed_in(nurse).post(url("no_known_allergies", alice))
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.no_known_allergies and alice.no_known_allergies_by == nurse
    assert alice.no_known_allergies_at is not None
    assert audited("patients.patient.no_known_allergies")[0].patient_id == str(alice.pk)
    page = signed_in(nurse).get(url("chart", alice)).content.decode()
    assert "No known allergies" in page


def test_an_unasked_patient_is_not_shown_as_having_no_allergies(nurse, alice):
    page = signed_in(nurse).get(url("chart", alice)).content.decode()
    assert "Allergies not yet asked about" in page


def test_no_known_allergies_is_refused_while_allergies_are_on_record(nurse, alice):
    add_allergy(alice, nurse)
    client = signed_in(nurse)
    response = client.post(url("no_known_allergies", alice), follow=True)
    assert "This patient has allergies on record" in response.content.decode()
    alice.refresh_from_db()
    assert not alice.no_known_allergies


def test_adding_an_allergy_withdraws_no_known_allergies(nurse, alice):
    client = signed_in(nurse)
    client.post(url("no_known_allergies", alice))
    client.post(url("allergy_add", alice), LATEX)
    alice.refresh_from_db()
    assert not alice.no_known_allergies
    assert audited("patients.patient.allergies_known")


def test_a_prescriber_changes_and_removes_an_allergy(prescriber, nurse, alice):
    allergy = add_allergy(alice, nurse)
    client = signed_in(prescriber)
    client.post(
        url("allergy_edit", alice, allergy.pk),
        LATEX | {"substance": "Penicillin", "severity": "severe"},
    )
    allergy.refresh_from_db()
    assert (allergy.substance, allergy.severity) == ("Penicillin", "severe")
    client.post(url("allergy_remove", alice, allergy.pk))
    assert not Allergy.objects.exists()


def test_bad_input_is_explained_and_nothing_is_saved(nurse, alice):
    response = signed_in(nurse).post(
        url("allergy_add", alice), LATEX | {"substance": "", "severity": "deadly"}
    )
    errors = response.context["form"].errors
    assert errors["substance"] == ["Please enter the substance."]
    assert errors["severity"] == ["Please choose the severity from the list."]
    assert 'value="hives"' in response.content.decode()
    assert not Allergy.objects.exists()


def test_front_desk_cannot_record_allergies(front_desk, alice):
    client = signed_in(front_desk)
    assert client.post(url("allergy_add", alice), LATEX).status_code == 403
    assert client.post(url("no_known_allergies", alice)).status_code == 403
    alice.refresh_from_db()
    assert not alice.no_known_allergies and not Allergy.objects.exists()


def test_another_locations_patient_is_a_404(prescriber_hartford, alice):
    assert signed_in(prescriber_hartford).post(url("no_known_allergies", alice)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, alice):
    assert client.post(url("allergy_add", alice), LATEX).status_code == 302
