"""Registering a new patient: the organisation's next MRN, a clear message per field."""

import pytest
from django.urls import reverse

from dendrite.conftest import signed_in
from dendrite.patients.models import Patient

from .conftest import audited

pytestmark = pytest.mark.django_db

NEW = reverse("patients:patient_new")


def form_data(location, **changes) -> dict:
    return {
        "location": location.pk,
        "first_name": "Grace",
        "last_name": "Example",
        "preferred_name": "",
        "date_of_birth": "1990-07-14",
        "sex": "female",
        "pronouns": "she/her",
        "email": "grace@example.test",
        "phone": "(617) 555-0123",
        "street": "1 Example Street",
        "city": "Boston",
        "state": "MA",
        "postal_code": "02116",
    } | changes


def test_front_desk_registers_a_patient_with_the_next_mrn(front_desk, boston, alice):
    response = signed_in(front_desk).post(NEW, form_data(boston))
    patient = Patient.objects.get(first_name="Grace")
    assert response.status_code == 302 and response.url == reverse(
        "patients:chart", args=[patient.pk]
    )
    assert patient.mrn == "TC0000002"  # Alice has TC0000001
    assert patient.phone == "+16175550123"
    assert patient.organization == boston.organization
    [event] = audited("patients.patient.create", actor_id=front_desk.pk)
    assert event.patient_id == str(patient.pk) and "Grace" not in str(event.detail)


def test_bad_input_keeps_every_value_explains_each_field_and_saves_nothing(front_desk, boston):
    data = form_data(
        boston,
        first_name="",
        date_of_birth="2999-01-01",
        phone="555",
        postal_code="2116",
        email="grace@",
        state="XX",
    )
    response = signed_in(front_desk).post(NEW, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["first_name"] == ["Please enter the legal first name."]
    assert errors["date_of_birth"] == ["The date of birth cannot be in the future."]
    assert errors["phone"] == [
        "Please enter a telephone number with its area code, such as (617) 555-0142."
    ]
    assert errors["postal_code"] == [
        "Please enter a ZIP code of five digits, or ZIP+4 such as 02116-1234."
    ]
    assert errors["email"] == ["Please enter an e-mail address such as name@example.com."]
    assert errors["state"] == ["Please choose the state from the list."]
    page = response.content.decode()
    assert 'value="Example"' in page and 'value="555"' in page and 'value="2116"' in page
    assert "Please correct the fields marked below." in page
    assert not Patient.objects.exists()


def test_a_patient_can_only_be_registered_at_one_of_the_users_locations(front_desk, hartford):
    response = signed_in(front_desk).post(NEW, form_data(hartford))
    assert "location" in response.context["form"].errors
    assert not Patient.objects.exists()


def test_clinic_admins_cannot_register_patients(clinic_admin, boston):
    assert signed_in(clinic_admin).post(NEW, form_data(boston)).status_code == 403
    assert not Patient.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, boston):
    response = client.post(NEW, form_data(boston))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not Patient.objects.exists()
