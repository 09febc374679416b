"""Leads: stored first, staff told by a queued e-mail, read only through the access helper."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from dendrite.audit.models import AuditEvent
from dendrite.conftest import query_count, signed_in
from dendrite.leads.actions import create_lead, update_screening_lead
from dendrite.leads.models import Lead, Outcome, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def boston_inbox(boston):
    boston.email = "boston-inbox@example.test"
    boston.save()
    return boston


def new_lead(location, **extra):
    fields = {
        "source": Source.INQUIRY,
        "location": location,
        "name": "Dana Example",
        "email": "dana@example.test",
        "consent_to_contact": True,
        "reasons": ["depression"],
    }
    if "name" in extra and "email" not in extra:  # another person: not linked to Dana
        extra["email"] = extra["name"].lower().replace(" ", ".") + "@example.test"
    return create_lead(**(fields | extra))


def test_a_lead_is_stored_audited_and_the_staff_e_mail_queued(boston_inbox, run_worker):
    lead = new_lead(boston_inbox)
    assert Lead.objects.get() == lead
    assert AuditEvent.objects.filter(action="leads.lead.create", object_id=str(lead.pk)).exists()
    assert DBTaskResult.objects.count() == 1
    run_worker()
    [message] = mail.outbox
    assert message.to == ["boston-inbox@example.test"]
    assert "Dana" not in message.subject and "Dana" not in message.body
    assert f"/staff/leads/{lead.pk}/" in message.body


def test_a_lead_needs_an_email_or_a_phone(boston):
    with pytest.raises(ValidationError):
        new_lead(boston, email="", phone="")
    assert not Lead.objects.exists()


def test_a_safety_outcome_is_always_urgent(boston_inbox, run_worker):
    lead = new_lead(boston_inbox, source=Source.SCREENING, triage_outcome=Outcome.URGENT_SAFETY)
    assert lead.urgent
    run_worker()
    assert mail.outbox[0].subject.startswith("URGENT")


def test_a_screening_lead_turning_urgent_tells_staff_once(boston_inbox, run_worker):
    lead = new_lead(boston_inbox, source=Source.SCREENING, triage_outcome=Outcome.INCOMPLETE)
    update_screening_lead(lead, triage_outcome=Outcome.URGENT_SAFETY, flags=["suicide-risk"])
    update_screening_lead(lead, scores=[{"instrument": "phq-9", "total": 12}])
    run_worker()
    subjects = [message.subject for message in mail.outbox]
    assert len(subjects) == 2 and subjects[1].startswith("URGENT")
    lead.refresh_from_db()
    assert lead.urgent and lead.flags == ["suicide-risk"]


def test_the_inbox_lists_urgent_first_then_oldest(nurse, boston):
    calm = new_lead(boston, name="First Calm")
    urgent = new_lead(boston, name="Later Urgent", urgent=True)
    response = signed_in(nurse).get(reverse("leads:inbox"))
    assert response.status_code == 200
    assert [lead.pk for lead in response.context["page"]] == [urgent.pk, calm.pk]
    audited = AuditEvent.objects.get(action="leads.lead.list")
    assert audited.detail == {"ids": [urgent.pk, calm.pk]}


def test_the_inbox_keeps_a_constant_query_count(nurse, boston):
    client = signed_in(nurse)
    new_lead(boston, name="Only One")
    few = query_count(lambda: client.get(reverse("leads:inbox")))
    # 16 on SQLite and PostgreSQL: the session, the user, the second factor and the user's
    # locations; the count, the page and its audit entry; the filter's colleagues; the
    # banners and menu counts; the session saved.
    assert few <= 16
    for number in range(30):
        new_lead(boston, name=f"Person {number}")
    assert query_count(lambda: client.get(reverse("leads:inbox"))) == few


def test_front_desk_sees_contact_details_and_the_outcome_but_not_scores(front_desk, nurse, boston):
    lead = new_lead(
        boston,
        source=Source.SCREENING,
        triage_outcome=Outcome.NEEDS_CLINICAL_REVIEW,
        scores=[{"instrument": "phq-9", "total": 17, "band": "moderately-severe", "flags": []}],
    )
    url = reverse("leads:detail", args=[lead.pk])
    desk = signed_in(front_desk).get(url)
    assert b"dana@example.test" in desk.content
    assert b"Moderately severe" not in desk.content and b"PHQ-9" not in desk.content
    # The outcome in words and what to do next, never the answers (issue 13).
    assert b"Needs clinical review" in desk.content
    assert b"A nurse or prescriber reviews the answers before booking." in desk.content
    clinical = signed_in(nurse).get(url)
    assert b"Moderately severe" in clinical.content and b"moderately-severe" not in clinical.content


def test_another_locations_lead_is_a_404_and_audited(prescriber_hartford, boston):
    lead = new_lead(boston)
    response = signed_in(prescriber_hartford).get(reverse("leads:detail", args=[lead.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="leads.lead.read", outcome="denied").exists()


def test_clinic_admins_open_leads_without_answers_and_anonymous_visitors_cannot(
    clinic_admin, client, boston
):
    lead = new_lead(boston)
    url = reverse("leads:detail", args=[lead.pk])
    response = signed_in(clinic_admin).get(url)
    assert response.status_code == 200
    assert response.context["clinical"] is False and not response.context["may_convert"]
    assert "Create the chart" not in response.content.decode()
    assert client.get(url).status_code == 302


def test_clinic_admins_do_not_convert_leads(clinic_admin, boston):
    lead = new_lead(boston)
    response = signed_in(clinic_admin).post(reverse("leads:convert", args=[lead.pk]), {})
    assert response.status_code == 403
    lead.refresh_from_db()
    assert lead.patient_id is None


def test_str_never_names_the_person(boston):
    assert "Dana" not in str(new_lead(boston))


def test_clinical_staff_see_the_screenings_health_answers_front_desk_does_not(
    boston, nurse, front_desk
):
    lead = new_lead(
        boston,
        source=Source.SCREENING,
        answers={"health_summary": [{"question": "Seizures recently?", "answer": "yes"}]},
    )
    url = reverse("leads:detail", args=[lead.pk])
    assert b"Seizures recently?" in signed_in(nurse).get(url).content
    assert b"Seizures recently?" not in signed_in(front_desk).get(url).content


def test_the_detail_page_has_a_plain_title_and_one_of_each_form(nurse, boston):
    lead = new_lead(boston)
    html = signed_in(nurse).get(reverse("leads:detail", args=[lead.pk])).content.decode()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title == f"Lead #{lead.pk} · Dendrite"
    assert html.count('id="convert-heading"') == 1
    assert html.count('id="contact-heading"') == 1


def test_a_converted_patient_keeps_the_language_they_wrote_in(boston, nurse):
    import datetime as dt

    from dendrite.leads.actions import convert_lead

    lead = new_lead(boston, language="es")
    patient = convert_lead(lead, by=nurse, first_name="Dana", last_name="Example",
                           date_of_birth=dt.date(1980, 1, 2))  # fmt: skip
    assert (patient.preferred_language, patient.message_language()) == ("es", "es")
