"""Editing demographics: front desk and clinicians, own locations, every change audited."""

import pytest

from dendrite.conftest import signed_in
from dendrite.patients.models import Patient

from .conftest import audited, url

pytestmark = pytest.mark.django_db


def form_data(patient: Patient, **changes) -> dict:
    return {
        "location": patient.location_id,
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "preferred_name": patient.preferred_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.sex,
        "pronouns": patient.pronouns,
        "email": patient.email,
        "phone": patient.phone,
        "street": patient.street,
        "city": patient.city,
        "state": patient.state,
        "postal_code": patient.postal_code,
    } | changes


def test_the_form_shows_the_stored_phone_number_the_usual_way(front_desk, alice):
    response = signed_in(front_desk).get(url("patient_edit", alice))
    assert response.status_code == 200
    assert 'value="(617) 555-0142"' in response.content.decode()


def test_front_desk_changes_the_preferred_name_and_address(front_desk, alice):
    data = form_data(
        alice,
        preferred_name="Ally",
        street="2 New Road",
        city="Boston",
        state="MA",
        postal_code="02116-1234",
    )
    response = signed_in(front_desk).post(url("patient_edit", alice), data)
    assert response.status_code == 302 and response.url.endswith("#demographics")
    alice.refresh_from_db()
    assert (alice.preferred_name, alice.postal_code) == ("Ally", "02116-1234")
    [event] = audited("patients.patient.change")
    assert event.patient_id == str(alice.pk)
    assert event.detail == {"fields": ["city", "postal_code", "preferred_name", "state", "street"]}


def test_a_changed_last_name_is_found_by_search_at_once(nurse, alice):
    signed_in(nurse).post(url("patient_edit", alice), form_data(alice, last_name="Byron"))
    alice.refresh_from_db()
    assert alice.last_name_key == "byron"


def test_bad_input_is_explained_and_nothing_is_saved(front_desk, alice):
    data = form_data(alice, last_name="", date_of_birth="next tuesday", phone="12")
    response = signed_in(front_desk).post(url("patient_edit", alice), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["last_name"] == ["Please enter the legal last name."]
    assert errors["date_of_birth"] == [
        "Please enter the date of birth as a date, such as 1984-03-27."
    ]
    assert "phone" in errors
    assert 'value="next tuesday"' in response.content.decode()
    alice.refresh_from_db()
    assert alice.last_name == "Lovelace"
    assert not audited("patients.patient.change")


def test_a_patient_cannot_move_to_a_location_the_user_does_not_work_at(nurse, alice, hartford):
    response = signed_in(nurse).post(
        url("patient_edit", alice), form_data(alice, location=hartford.pk)
    )
    assert "location" in response.context["form"].errors
    alice.refresh_from_db()
    assert alice.location.name == "Boston"


def test_another_locations_patient_is_a_404(prescriber_hartford, alice):
    response = signed_in(prescriber_hartford).post(
        url("patient_edit", alice), form_data(alice, last_name="X")
    )
    assert response.status_code == 404
    alice.refresh_from_db()
    assert alice.last_name == "Lovelace"


def test_clinic_admins_cannot_edit_demographics(clinic_admin, alice):
    assert signed_in(clinic_admin).get(url("patient_edit", alice)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, alice):
    assert client.get(url("patient_edit", alice)).status_code == 302


def test_a_colleagues_stale_save_is_refused_not_silently_overwritten(front_desk, nurse, alice):
    first = form_data(alice, preferred_name="Ally") | {"version": 1}
    second = form_data(alice, preferred_name="Lissie") | {"version": 1}
    assert signed_in(front_desk).post(url("patient_edit", alice), first).status_code == 302
    response = signed_in(nurse).post(url("patient_edit", alice), second)
    assert response.status_code == 409
    assert b"A colleague saved this chart while you were editing it" in response.content
    assert b'value="Lissie"' in response.content  # what they typed is kept
    alice.refresh_from_db()
    assert (alice.preferred_name, alice.version) == ("Ally", 2)


def test_staff_set_the_language_of_the_patients_messages(front_desk, alice):
    assert alice.message_language() == "en"
    data = form_data(alice, preferred_language="es")
    response = signed_in(front_desk).post(url("patient_edit", alice), data)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.preferred_language, alice.message_language()) == ("es", "es")
