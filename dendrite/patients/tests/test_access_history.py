"""A patient's access history: for clinic admins, their locations only, itself audited."""

import pytest
from django.urls import reverse

from dendrite.conftest import query_count, signed_in

from .conftest import audited, url

pytestmark = pytest.mark.django_db

LOOKUP = reverse("patients:access_lookup")


def test_a_clinic_admin_sees_who_opened_the_chart(clinic_admin, nurse, prescriber_hartford, alice):
    signed_in(nurse).get(url("chart", alice))
    signed_in(prescriber_hartford).get(url("chart", alice))  # refused, and on the list
    response = signed_in(clinic_admin).get(url("access_history", alice))
    assert response.status_code == 200
    rows = [
        (event.actor_username, event.action, event.outcome) for event in response.context["page"]
    ]
    assert rows[0] == ("adam_admin", "patients.patient.read_access_history", "success")
    assert ("paul_prescriber", "patients.patient.read", "denied") in rows
    assert ("nora_nurse", "patients.patient.read", "success") in rows
    assert ("", "patients.patient.create", "success") in rows


def test_the_admin_sees_no_clinical_data_on_it(clinic_admin, alice):
    page = signed_in(clinic_admin).get(url("access_history", alice)).content.decode()
    assert alice.mrn in page
    assert "Lovelace" not in page and "1985" not in page


def test_reading_the_access_history_is_itself_audited(clinic_admin, alice):
    signed_in(clinic_admin).get(url("access_history", alice))
    [event] = audited("patients.patient.read_access_history")
    assert (event.patient_id, event.actor_id) == (str(alice.pk), clinic_admin.pk)


def test_the_access_history_is_paginated(clinic_admin, nurse, alice):
    client = signed_in(nurse)
    for _ in range(55):
        client.get(url("chart", alice))
    response = signed_in(clinic_admin).get(url("access_history", alice))
    assert len(response.context["page"]) == 50
    assert response.context["page"].paginator.num_pages == 2


def test_the_lookup_by_mrn_opens_the_access_history(clinic_admin, alice):
    response = signed_in(clinic_admin).post(LOOKUP, {"mrn": alice.mrn.lower()})
    assert response.status_code == 302 and response.url == url("access_history", alice)


def test_an_unknown_or_other_locations_mrn_is_not_found(clinic_admin, charlie):
    response = signed_in(clinic_admin).post(LOOKUP, {"mrn": charlie.mrn}, follow=True)
    assert "No patient at your locations has that MRN" in response.content.decode()
    assert response.context["mrn"] == charlie.mrn


def test_another_locations_patient_is_a_404(clinic_admin, charlie):
    assert signed_in(clinic_admin).get(url("access_history", charlie)).status_code == 404


@pytest.mark.parametrize("role", ["front_desk", "nurse", "prescriber"])
def test_only_clinic_admins_read_access_histories(role, alice, request):
    user = request.getfixturevalue(role)
    assert signed_in(user).get(url("access_history", alice)).status_code == 403
    assert signed_in(user).get(LOOKUP).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, alice):
    assert client.get(url("access_history", alice)).status_code == 302


def test_the_access_history_keeps_a_constant_query_count(clinic_admin, nurse, alice):
    client = signed_in(clinic_admin)
    few = query_count(lambda: client.get(url("access_history", alice)))
    reader = signed_in(nurse)
    for _ in range(30):
        reader.get(url("chart", alice))
    assert query_count(lambda: client.get(url("access_history", alice))) == few
