"""The referring provider and the primary-care provider: one of each, with phone and fax."""

import pytest

from dendrite.conftest import signed_in
from dendrite.patients.models import Provider

from .conftest import audited, url

pytestmark = pytest.mark.django_db

DOCTOR = {
    "name": "Dr Rivera",
    "practice": "Example Psychiatry",
    "phone": "617-555-0170",
    "fax": "617-555-0171",
}


def test_front_desk_records_the_referring_provider(front_desk, alice):
    response = signed_in(front_desk).post(url("provider_edit", alice, "referring"), DOCTOR)
    assert response.status_code == 302 and response.url.endswith("#providers")
    provider = Provider.objects.get()
    assert (provider.kind, provider.fax) == ("referring", "+16175550171")
    assert audited("patients.provider.create")[0].patient_id == str(alice.pk)


def test_saving_again_changes_the_same_provider(nurse, alice):
    client = signed_in(nurse)
    client.post(url("provider_edit", alice, "primary_care"), DOCTOR)
    client.post(url("provider_edit", alice, "primary_care"), DOCTOR | {"name": "Dr Chen"})
    assert list(Provider.objects.values_list("name", flat=True)) == ["Dr Chen"]
    assert audited("patients.provider.change")[0].detail == {"fields": ["name"]}


def test_bad_input_is_explained_and_nothing_is_saved(front_desk, alice):
    response = signed_in(front_desk).post(
        url("provider_edit", alice, "referring"), DOCTOR | {"name": "", "fax": "123"}
    )
    errors = response.context["form"].errors
    assert errors["name"] == ["Please enter the provider's name."]
    assert "fax" in errors
    assert not Provider.objects.exists()


def test_an_unknown_kind_of_provider_is_a_404(front_desk, alice):
    assert signed_in(front_desk).get(url("provider_edit", alice, "dentist")).status_code == 404


def test_another_locations_patient_is_a_404(prescriber_hartford, alice):
    assert (
        signed_in(prescriber_hartford)
        .post(url("provider_edit", alice, "referring"), DOCTOR)
        .status_code
        == 404
    )


def test_clinic_admins_cannot_edit_providers(clinic_admin, alice):
    assert signed_in(clinic_admin).get(url("provider_edit", alice, "referring")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, alice):
    assert client.get(url("provider_edit", alice, "referring")).status_code == 302
