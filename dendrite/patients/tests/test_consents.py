"""Consents to treatment and to text messages: given or withdrawn, the latest in force."""

import pytest
from django.utils import timezone

from dendrite.conftest import signed_in
from dendrite.patients.models import Consent

from .conftest import audited, url

pytestmark = pytest.mark.django_db


def test_front_desk_records_a_consent_to_text_messages(front_desk, alice):
    data = {"kind": "text_messages", "status": "given", "date": "2026-01-05"}
    response = signed_in(front_desk).post(url("consent_add", alice), data)
    assert response.status_code == 302 and response.url.endswith("#consents")
    consent = Consent.objects.get()
    assert (consent.kind, consent.status, consent.recorded_by) == (
        "text_messages",
        "given",
        front_desk,
    )
    assert audited("patients.consent.create")[0].patient_id == str(alice.pk)


def test_the_latest_consent_of_each_kind_is_the_one_in_force(nurse, alice):
    client = signed_in(nurse)
    client.post(
        url("consent_add", alice), {"kind": "treatment", "status": "given", "date": "2026-01-05"}
    )
    client.post(
        url("consent_add", alice),
        {"kind": "treatment", "status": "withdrawn", "date": "2026-02-01"},
    )
    page = client.get(url("chart", alice)).content.decode()
    assert "<dt>Treatment</dt>\n    <dd>Withdrawn on Sun, Feb 1, 2026</dd>" in page
    assert "<dt>Text messages</dt>\n    <dd>Not asked yet</dd>" in page


def test_the_form_starts_with_today(front_desk, alice):
    page = signed_in(front_desk).get(url("consent_add", alice)).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page


def test_a_42_cfr_part_2_consent_is_not_offered_yet(front_desk, alice):
    data = {"kind": "part2", "status": "given", "date": "2026-01-05"}
    response = signed_in(front_desk).post(url("consent_add", alice), data)
    assert response.context["form"].errors["kind"] == [
        "Please choose what the consent is for from the list."
    ]


def test_bad_input_is_explained_and_nothing_is_saved(front_desk, alice):
    response = signed_in(front_desk).post(
        url("consent_add", alice), {"kind": "treatment", "date": "2999-01-01"}
    )
    errors = response.context["form"].errors
    assert errors["status"] == ["Please choose whether consent was given or withdrawn."]
    assert errors["date"] == ["The date of the consent cannot be in the future."]
    assert not Consent.objects.exists()


def test_another_locations_patient_is_a_404(prescriber_hartford, alice):
    data = {"kind": "treatment", "status": "given", "date": "2026-01-05"}
    assert signed_in(prescriber_hartford).post(url("consent_add", alice), data).status_code == 404


def test_clinic_admins_cannot_record_consents(clinic_admin, alice):
    assert signed_in(clinic_admin).get(url("consent_add", alice)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, alice):
    assert client.get(url("consent_add", alice)).status_code == 302
