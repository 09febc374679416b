"""The chart entries' table (views/entries.py): one set of views serves contacts,
diagnoses, medications and allergies under their old URL names and addresses, and
each kind keeps its own roles. The screens' own tests are beside this file."""

import pytest
from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.conftest import signed_in
from dendrite.patients.views.entries import ENTRIES

pytestmark = pytest.mark.django_db

NAMES = {"contacts": "contact", "diagnoses": "diagnosis", "medications": "medication",
         "allergies": "allergy"}  # fmt: skip


@pytest.mark.parametrize(("section", "name"), NAMES.items())
def test_each_kind_keeps_its_url_names_and_addresses(section, name):
    assert ENTRIES[section].name == name
    base = f"/staff/patients/7/{section}/"
    assert reverse(f"patients:{name}_add", args=[7]) == base + "new/"
    assert reverse(f"patients:{name}_edit", args=[7, 3]) == base + "3/"
    assert reverse(f"patients:{name}_remove", args=[7, 3]) == base + "3/remove/"


@pytest.mark.parametrize("section", ["diagnoses", "medications", "allergies"])
def test_front_desk_is_refused_clinical_entries_and_the_refusal_names_the_screen(
    front_desk, alice, section
):
    name = NAMES[section]
    response = signed_in(front_desk).get(reverse(f"patients:{name}_add", args=[alice.pk]))
    assert response.status_code == 403
    denied = AuditEvent.objects.get(action="access.denied")
    assert denied.object_id == f"dendrite.patients.views.entries.{name}_add"


def test_front_desk_may_add_a_contact(front_desk, alice):
    response = signed_in(front_desk).get(reverse("patients:contact_add", args=[alice.pk]))
    assert response.status_code == 200
    assert "Add a contact" in response.text


def test_the_diagnosis_form_offers_the_clinics_code_list(nurse, alice):
    response = signed_in(nurse).get(reverse("patients:diagnosis_add", args=[alice.pk]))
    assert "Add a diagnosis" in response.text
    assert "F33.1" in response.text


def test_a_wrong_method_on_remove_is_refused(nurse, alice):
    response = signed_in(nurse).get(reverse("patients:allergy_remove", args=[alice.pk, 1]))
    assert response.status_code == 405
