"""Converting a lead: the chart is built from what the person already told us."""

import datetime as dt

import pytest
from django.urls import reverse

from dendrite.alerts.models import SafetyAlert
from dendrite.audit.models import AuditEvent
from dendrite.conftest import signed_in
from dendrite.instruments.scoring import score
from dendrite.leads.actions import create_lead
from dendrite.leads.models import Lead, LeadEvent, Outcome, Source, Status
from dendrite.patients.actions import record_questionnaire_response
from dendrite.patients.models import HistoryAnswer, Patient, QuestionnaireResponse

pytestmark = pytest.mark.django_db

PHQ9 = {str(n): 2 for n in range(1, 9)} | {"9": 1}  # total 17, item 9 endorsed
GAD7 = {str(n): 1 for n in range(1, 8)}  # total 7


def screening_lead(location):
    return create_lead(
        source=Source.SCREENING,
        location=location,
        name="Dana Q Example",
        email="dana@example.test",
        phone="+16175550142",
        consent_to_contact=True,
        triage_outcome=Outcome.URGENT_SAFETY,
        flags=["suicide-risk"],
        answers={
            "sex": "female",
            "answered_at": "2026-11-20T15:00:00+00:00",
            "questionnaires": {
                "phq-9": {"version": "1.0.0", "answers": PHQ9},
                "gad-7": {"version": "1.0.0", "answers": GAD7},
            },
            "health": {"blood_pressure": "no", "heart_vascular": "yes", "seizures": "not-sure"},
            "treatment": {"antidepressant_trials": 2, "medications": ["benzodiazepines"]},
        },
    )


def convert(client, lead, **data):
    fields = {"first_name": "Dana Q", "last_name": "Example", "date_of_birth": "1990-04-02",
              "sex": "female"} | data  # fmt: skip
    return client.post(reverse("leads:convert", args=[lead.pk]), fields)


def test_converting_builds_the_chart_without_retyping(boston, nurse):
    lead = screening_lead(boston)
    response = convert(signed_in(nurse), lead)
    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("patients:chart", args=[patient.pk])
    assert (patient.email, patient.phone, patient.location) == (lead.email, lead.phone, boston)
    assert patient.date_of_birth == dt.date(1990, 4, 2)
    stored = {r.instrument: (r.total, r.band, r.flags) for r in QuestionnaireResponse.objects.all()}
    assert stored == {
        "phq-9": (17, "moderately-severe", ["suicide-risk"]),
        "gad-7": (7, "mild", []),
    }
    authored = {r.authored_at for r in QuestionnaireResponse.objects.all()}
    assert authored == {dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)}  # when they answered
    history = {h.item: h.answer for h in HistoryAnswer.objects.filter(patient=patient)}
    assert history["hypertension"] == "no"
    assert history["aneurysm"] == "unknown"  # a combined "yes": the prescriber asks which
    assert history["epilepsy"] == "unknown"
    assert history["benzodiazepines"] == "unknown"
    lead.refresh_from_db()
    assert (lead.patient, lead.status) == (patient, Status.BECAME_PATIENT)
    assert LeadEvent.objects.filter(lead=lead, to_status=Status.BECAME_PATIENT).exists()
    assert AuditEvent.objects.filter(action="leads.lead.convert", patient_id=str(patient.pk))


def test_the_open_safety_alert_follows_the_patient(boston, nurse, front_desk):
    lead = screening_lead(boston)
    convert(signed_in(nurse), lead)
    patient = Patient.objects.get()
    assert SafetyAlert.objects.get().patient == patient
    listing = signed_in(front_desk).get(reverse("patients:patient_list"))
    assert b"Urgent" in listing.content


def test_a_double_click_converts_once(boston, nurse):
    lead = screening_lead(boston)
    client = signed_in(nurse)
    first, second = convert(client, lead), convert(client, lead)
    assert Patient.objects.count() == 1
    assert first.url == second.url
    assert QuestionnaireResponse.objects.count() == 2


def test_an_inquiry_converts_with_its_contact_details(boston, front_desk):
    lead = create_lead(
        source=Source.INQUIRY, location=boston, name="Sam Sample", phone="+16175550199",
        consent_to_contact=True,
    )  # fmt: skip
    convert(signed_in(front_desk), lead, first_name="Sam", last_name="Sample")
    patient = Patient.objects.get()
    assert patient.phone == "+16175550199"
    assert not QuestionnaireResponse.objects.exists()


def test_bad_input_keeps_what_was_typed_and_creates_nothing(boston, nurse):
    lead = screening_lead(boston)
    response = convert(signed_in(nurse), lead, date_of_birth="2999-01-01", last_name="Kept")
    assert response.status_code == 400
    assert b"The date of birth must be in the past." in response.content
    assert b'value="Kept"' in response.content
    assert not Patient.objects.exists()
    assert Lead.objects.get().status == Status.NEW


def test_other_location_wrong_role_and_anonymous_cannot_convert(
    boston, prescriber_hartford, clinic_admin, client
):
    lead = screening_lead(boston)
    assert convert(signed_in(prescriber_hartford), lead).status_code == 404
    assert convert(signed_in(clinic_admin), lead).status_code == 403
    assert convert(client, lead).status_code == 302
    assert not Patient.objects.exists()


def test_a_flagged_result_stored_later_raises_an_alert_for_the_patient(alice):
    result = score("phq-9", PHQ9)
    record_questionnaire_response(
        alice, result, PHQ9, source="clinic", authored_at=dt.datetime.now(dt.UTC)
    )
    alert = SafetyAlert.objects.get()
    assert (alert.patient, alert.location, alert.flags) == (alice, alice.location, ["suicide-risk"])
