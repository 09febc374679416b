"""Converting a lead who is already a patient: the duplicate is shown, staff link the lead
to that chart or make a new one with a reason; the inquiry's consents reach the chart."""

import datetime as dt

import pytest
from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.conftest import make_patient, signed_in
from dendrite.leads.actions import create_lead
from dendrite.leads.models import ContactMethod, Lead, Source, Status
from dendrite.patients.models import Consent, DuplicateOverride, HistoryAnswer, Patient

pytestmark = pytest.mark.django_db

BORN = dt.date(1988, 7, 14)


@pytest.fixture
def casey(boston):
    return make_patient(boston, "Casey", "Morgan", date_of_birth=BORN,
                        email="casey@example.test", phone="+16175550199")  # fmt: skip


def inquiry(location, **extra):
    fields = {
        "source": Source.INQUIRY, "location": location, "name": "casey morgan",
        "email": "CASEY@example.test", "phone": "+16175550199", "consent_to_contact": True,
        "consent_to_texts": True, "preferred_contact_method": ContactMethod.EMAIL,
    } | extra  # fmt: skip
    return create_lead(**fields)


def convert(client, lead, **data):
    fields = {"first_name": "Casey", "last_name": "Morgan", "date_of_birth": BORN.isoformat(),
              "sex": "female"} | data  # fmt: skip
    return client.post(reverse("leads:convert", args=[lead.pk]), fields)


def test_a_likely_duplicate_is_shown_side_by_side_and_nothing_is_made(boston, front_desk, casey):
    lead = inquiry(boston)
    response = convert(signed_in(front_desk), lead)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This person may already have a chart" in page
    assert casey.mrn in page and "same e-mail address" in page
    assert "same date of birth" in page and "(matches)" in page
    assert Patient.objects.count() == 1
    assert Lead.objects.get().patient is None
    check = AuditEvent.objects.get(action="patients.patient.duplicate_check")
    assert check.detail == {"ids": [casey.pk]}


def test_link_to_the_existing_chart_converts_the_lead_onto_it(boston, front_desk, casey):
    lead = inquiry(boston)
    client = signed_in(front_desk)
    response = convert(client, lead, link_to=casey.pk)
    assert response.status_code == 302
    assert response.url == reverse("patients:chart", args=[casey.pk])
    lead.refresh_from_db()
    assert (lead.patient, lead.status) == (casey, Status.BECAME_PATIENT)
    assert Patient.objects.count() == 1
    assert AuditEvent.objects.filter(action="leads.lead.link", patient_id=str(casey.pk)).exists()
    # A double click lands on the same chart and makes nothing more.
    assert convert(client, lead, link_to=casey.pk).url == reverse("patients:chart", args=[casey.pk])
    assert Patient.objects.count() == 1


def test_linking_keeps_the_history_the_clinic_recorded(boston, nurse, casey):
    HistoryAnswer.objects.create(patient=casey, item="hypertension", answer="no",
                                 updated_by=nurse)  # fmt: skip
    lead = inquiry(boston, source=Source.SCREENING, answers={
        "health": {"blood_pressure": "yes", "seizures": "no"}})  # fmt: skip
    convert(signed_in(nurse), lead, link_to=casey.pk)
    answers = dict(casey.history_answers.values_list("item", "answer"))
    assert answers["hypertension"] == "no"  # the clinic's answer stays
    assert answers["epilepsy"] == "no"  # an item not answered yet is added


def test_create_anyway_needs_a_reason(boston, front_desk, casey):
    lead = inquiry(boston)
    response = convert(signed_in(front_desk), lead, decision="new", reason="  ")
    assert response.status_code == 400
    assert "Please say why this is a different person" in response.content.decode()
    assert 'value="Casey"' in response.content.decode()  # what was typed is kept
    assert Patient.objects.count() == 1


def test_create_anyway_with_a_reason_makes_one_chart_and_keeps_the_reason(
    boston, front_desk, casey
):
    lead = inquiry(boston)
    client = signed_in(front_desk)
    response = convert(client, lead, decision="new", reason="Twin sibling, same e-mail.")
    new = Patient.objects.exclude(pk=casey.pk).get()
    assert response.url == reverse("patients:chart", args=[new.pk])
    override = DuplicateOverride.objects.get()
    assert (override.patient, override.candidates, override.by) == (new, [casey.pk], front_desk)
    assert override.reason == "Twin sibling, same e-mail."
    audit = AuditEvent.objects.get(action="patients.patient.create_despite_duplicates")
    assert "Twin" not in str(audit.detail)
    convert(client, lead, decision="new", reason="Twin sibling, same e-mail.")
    assert Patient.objects.count() == 2


def test_no_candidates_converts_as_before(boston, front_desk):
    lead = inquiry(boston)
    response = convert(signed_in(front_desk), lead)
    assert response.status_code == 302
    assert Patient.objects.count() == 1


def test_bad_input_is_per_field_and_saves_nothing(boston, front_desk, casey):
    lead = inquiry(boston)
    response = convert(signed_in(front_desk), lead, date_of_birth="not a date", link_to=casey.pk)
    assert response.status_code == 400
    assert Lead.objects.get().patient is None


def test_a_chart_of_another_location_is_never_shown_nor_linked(boston, hartford, front_desk):
    other = make_patient(hartford, "Casey", "Morgan", date_of_birth=BORN,
                         email="casey@example.test")  # fmt: skip
    lead = inquiry(boston)
    client = signed_in(front_desk)
    assert convert(client, lead, link_to=other.pk).status_code == 404
    response = convert(client, lead)
    assert response.status_code == 302  # nothing at the user's locations: converted
    assert Lead.objects.get().patient != other


def test_the_inquiry_consents_reach_the_chart(boston, front_desk):
    lead = inquiry(boston)
    convert(signed_in(front_desk), lead)
    patient = Patient.objects.get()
    consents = {c.kind: c for c in patient.consents.all()}
    assert set(consents) == {Consent.Kind.TEXT_MESSAGES, Consent.Kind.EMAIL_MESSAGES}
    texts = consents[Consent.Kind.TEXT_MESSAGES]
    assert (texts.status, texts.source) == (Consent.Status.GIVEN, "on the web inquiry")
    assert texts.date == lead.created_at.astimezone(boston.tz).date()
    assert patient.consented_to(Consent.Kind.TEXT_MESSAGES) == {Consent.Kind.TEXT_MESSAGES}
    page = signed_in(front_desk).get(reverse("patients:chart", args=[patient.pk])).content
    assert b"Given (on the web inquiry)" in page or b"on the web inquiry" in page


def test_a_more_recent_consent_on_the_chart_is_never_overwritten(boston, front_desk, casey):
    later = dt.date.today() + dt.timedelta(days=1)
    Consent.objects.create(patient=casey, kind=Consent.Kind.TEXT_MESSAGES,
                           status=Consent.Status.WITHDRAWN, date=later,
                           recorded_by=front_desk)  # fmt: skip
    convert(signed_in(front_desk), inquiry(boston), link_to=casey.pk)
    assert casey.consented_to(Consent.Kind.TEXT_MESSAGES) == set()
    assert casey.consents.filter(kind=Consent.Kind.TEXT_MESSAGES).count() == 1
    assert casey.consented_to(Consent.Kind.EMAIL_MESSAGES) == {Consent.Kind.EMAIL_MESSAGES}


def test_no_text_consent_without_the_box_ticked(boston, front_desk):
    convert(
        signed_in(front_desk),
        inquiry(boston, consent_to_texts=False, preferred_contact_method=ContactMethod.PHONE),
    )
    assert not Patient.objects.get().consents.exists()
