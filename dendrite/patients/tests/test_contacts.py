"""Emergency contacts and the escort home: add, change, remove."""

import pytest

from dendrite.conftest import signed_in
from dendrite.patients.models import Contact

from .conftest import add_contact, audited, url

pytestmark = pytest.mark.django_db

ESCORT = {"kind": "escort", "name": "Ada Escort", "relationship": "sister", "phone": "617 555 0188"}


def test_front_desk_adds_the_escort_who_drives_the_patient_home(front_desk, alice):
    response = signed_in(front_desk).post(url("contact_add", alice), ESCORT)
    assert response.status_code == 302 and response.url.endswith("#contacts")
    contact = Contact.objects.get()
    assert (contact.patient, contact.kind, contact.phone) == (alice, "escort", "+16175550188")
    [event] = audited("patients.contact.create")
    assert event.patient_id == str(alice.pk) and event.detail == {}


def test_a_nurse_changes_and_removes_a_contact(nurse, alice):
    contact = add_contact(alice)
    client = signed_in(nurse)
    client.post(url("contact_edit", alice, contact.pk), ESCORT | {"kind": "emergency"})
    contact.refresh_from_db()
    assert contact.kind == "emergency"
    assert audited("patients.contact.change")[0].detail == {
        "fields": ["kind", "phone", "relationship"]
    }
    client.post(url("contact_remove", alice, contact.pk))
    assert not Contact.objects.exists()
    assert audited("patients.contact.delete")[0].patient_id == str(alice.pk)


def test_bad_input_is_explained_and_nothing_is_saved(front_desk, alice):
    response = signed_in(front_desk).post(
        url("contact_add", alice), ESCORT | {"name": "", "kind": "cousin", "phone": "x"}
    )
    errors = response.context["form"].errors
    assert errors["name"] == ["Please enter the name."]
    assert errors["kind"] == ["Please choose the kind of contact from the list."]
    assert errors["phone"] == [
        "Please enter a telephone number with its area code, such as (617) 555-0142."
    ]
    assert 'value="sister"' in response.content.decode()
    assert not Contact.objects.exists()


def test_a_contact_of_another_patient_cannot_be_reached_through_this_one(nurse, alice, bob):
    bobs = add_contact(bob)
    assert signed_in(nurse).post(url("contact_remove", alice, bobs.pk)).status_code == 404
    assert Contact.objects.filter(pk=bobs.pk).exists()


def test_another_locations_patient_is_a_404(prescriber_hartford, alice):
    assert signed_in(prescriber_hartford).post(url("contact_add", alice), ESCORT).status_code == 404
    assert not Contact.objects.exists()


def test_clinic_admins_cannot_add_contacts(clinic_admin, alice):
    assert signed_in(clinic_admin).post(url("contact_add", alice), ESCORT).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, alice):
    assert client.post(url("contact_add", alice), ESCORT).status_code == 302
    assert not Contact.objects.exists()
