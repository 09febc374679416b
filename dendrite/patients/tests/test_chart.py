"""The chart: every section for nurses and prescribers, the administrative ones for front desk."""

import datetime as dt

import pytest
from django.utils import timezone

from dendrite.conftest import signed_in
from dendrite.patients.models import HistorySignOff
from dendrite.scheduling.tests.conftest import make_appointment

from .conftest import (
    add_allergy,
    add_contact,
    add_diagnosis,
    add_medication,
    add_response,
    audited,
    url,
)

pytestmark = pytest.mark.django_db

PHQ9_MODERATE = [2, 2, 2, 2, 2, 1, 1, 1, 0]  # total 13, moderate, no flag


def test_a_nurse_sees_every_section_of_the_chart(nurse, alice):
    add_diagnosis(alice, nurse)
    add_medication(alice, nurse)
    add_allergy(alice, nurse)
    add_contact(alice)
    response = signed_in(nurse).get(url("chart", alice))
    assert response.status_code == 200
    page = response.content.decode()
    for heading in (
        "Demographics",
        "Contacts",
        "Providers",
        "Consents",
        "Diagnoses",
        "Medications",
        "Allergies",
        "Medical history for ketamine",
        "Questionnaires",
        "Documents",
    ):
        assert f">{heading}</h2>" in page
    assert "F33.1" in page and "Sertraline" in page and "Penicillin" in page
    assert alice.mrn in page


def test_opening_the_chart_is_audited_with_the_patients_id(nurse, alice):
    signed_in(nurse).get(url("chart", alice))
    [event] = audited("patients.patient.read")
    assert (event.patient_id, event.actor_id, event.outcome) == (str(alice.pk), nurse.pk, "success")
    assert "Alice" not in str(event.detail) and "Lovelace" not in str(event.detail)


def test_front_desk_sees_demographics_and_contacts_but_no_clinical_section(
    front_desk, nurse, alice
):
    add_diagnosis(alice, nurse)
    add_medication(alice, nurse)
    add_contact(alice, name="Ada Escort")
    add_response(alice, PHQ9_MODERATE)
    page = signed_in(front_desk).get(url("chart", alice)).content.decode()
    assert "Lovelace" in page and "Ada Escort" in page and ">Consents</h2>" in page
    for hidden in (
        "F33.1",
        "Sertraline",
        ">Diagnoses</h2>",
        ">Medications</h2>",
        ">Allergies</h2>",
        "Medical history",
        "moderate",
        ">Documents</h2>",
    ):
        assert hidden not in page


def test_the_chart_says_urgent_when_the_safety_hook_says_so(front_desk, alice, monkeypatch):
    from dendrite.patients.models import Patient

    monkeypatch.setattr(Patient, "has_open_safety_alert", property(lambda patient: True))
    page = signed_in(front_desk).get(url("chart", alice)).content.decode()
    assert "Urgent:" in page


def test_questionnaires_show_newest_first_with_score_and_band(nurse, alice):
    now = timezone.now()
    add_response(alice, [0] * 9, when=now - dt.timedelta(days=30))
    add_response(alice, [3, 3, 3, 3, 3, 2, 2, 2, 1], when=now)  # 22, severe, item 9 flagged
    page = signed_in(nurse).get(url("chart", alice)).content.decode()
    severe, minimal = page.index(">Severe<"), page.index(">None or minimal<")
    assert severe < minimal
    assert ">22<" in page and "Suicide risk" in page


# The chart as a nurse opens it, on SQLite and PostgreSQL alike: the session and sign-in 3;
# the patient (with its alert and merged-in flags), the user's locations, the read's audit
# entry 3; contacts, providers, consents 3; the clinical sections 9 (the latest
# questionnaires with their count in one); the staff header (its counts and banners) 1;
# the schedule 3 (the booking gate with the missed-visit
# counts, upcoming visits, series); notes 1 (+ an audit entry where there are some); tasks
# 1; outcomes 3; recovery 4; Part 2 disclosures 2; the portal 1; the session saved 3.
CHART = 37


def test_the_chart_keeps_a_constant_query_count(nurse, alice, django_assert_num_queries,
                                                 django_assert_max_num_queries):  # fmt: skip
    client = signed_in(nurse)
    client.get(url("chart", alice))  # warm the session and the instrument definitions
    with django_assert_num_queries(CHART) as few:
        client.get(url("chart", alice))
    baseline = len(few.captured_queries)
    for number in range(12):
        add_diagnosis(alice, nurse, code=f"F3{number % 10}.{number % 9}")
        add_medication(alice, nurse, name=f"Medicine {number}")
        add_allergy(alice, nurse, substance=f"Substance {number}")
        add_contact(alice, name=f"Contact {number}")
        add_response(alice, PHQ9_MODERATE)
        add_response(alice, [0, 0, 0, 0, 0, 0, 0, 0, 1])  # item 9: a safety alert
        start = timezone.now() + dt.timedelta(days=number + 1)
        make_appointment(alice, "consultation", start, nurse)
    HistorySignOff.objects.create(
        patient=alice, signed_by=nurse, signed_at=timezone.now(), items_version="x"
    )
    with django_assert_max_num_queries(baseline):
        assert client.get(url("chart", alice)).status_code == 200


def test_another_locations_patient_is_a_404_audited_as_denied(prescriber_hartford, alice):
    response = signed_in(prescriber_hartford).get(url("chart", alice))
    assert response.status_code == 404
    assert b"Lovelace" not in response.content
    [event] = audited("patients.patient.read")
    assert (event.outcome, event.patient_id) == ("denied", str(alice.pk))


def test_a_clinic_admin_cannot_open_a_chart(clinic_admin, alice):
    assert signed_in(clinic_admin).get(url("chart", alice)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, alice):
    response = client.get(url("chart", alice))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_patient_is_named_by_mrn_never_by_name(alice):
    assert str(alice) == alice.mrn
    assert "Alice" not in str(alice)
