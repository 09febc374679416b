"""One person, one lead: a later inquiry or screening of someone who already has a lead
(same e-mail or phone, or the same browser) is filed with it, never a stranger's second
lead; staff link what only looks alike, and undo a link. Rules: leads/matching.py."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dendrite.accounts.models import Role
from dendrite.alerts.models import SafetyAlert
from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Location, Organization
from dendrite.conftest import make_user, query_count, signed_in
from dendrite.leads import matching
from dendrite.leads.actions import create_lead, update_screening_lead
from dendrite.leads.models import Lead, LeadEvent, LinkReason, Outcome, Source, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def inboxes(boston, hartford):
    for location in (boston, hartford):
        location.email = f"{location.slug}-inbox@example.test"
        location.save()
    return boston


def inquiry(location, **extra):
    fields = {
        "source": Source.INQUIRY,
        "location": location,
        "name": "Dana Example",
        "email": "dana@example.test",
        "consent_to_contact": True,
        "reasons": ["depression"],
        "message": "First message.",
    }
    return create_lead(**(fields | extra))


def screening(location, **extra):
    fields = {
        "source": Source.SCREENING,
        "location": location,
        "name": "Dana Example",
        "email": "dana@example.test",
        "consent_to_contact": True,
        "triage_outcome": Outcome.INCOMPLETE,
    }
    return create_lead(**(fields | extra))


def test_an_inquiry_with_the_same_email_in_other_case_is_filed_with_the_first_lead(
    inboxes, run_worker
):
    first = inquiry(inboxes)
    second = inquiry(
        inboxes, email="DANA@Example.TEST", phone="+16175550142", reasons=["alcohol"],
        consent_to_texts=True, message="A second question.",
    )  # fmt: skip
    assert second.linked_to == first and second.link_reason == LinkReason.EMAIL
    first.refresh_from_db()
    assert first.phone == "+16175550142" and first.consent_to_texts  # newer details kept
    assert first.reasons == ["depression", "alcohol"]
    assert first.message == "First message."  # each message stays with its submission
    assert AuditEvent.objects.filter(action="leads.lead.link", object_id=str(first.pk)).exists()
    run_worker()
    subjects = [message.subject for message in mail.outbox]
    assert subjects == ["New inquiry for Boston", "New message on an existing lead for Boston"]
    assert f"/staff/leads/{first.pk}/" in mail.outbox[1].body
    assert "Dana" not in mail.outbox[1].body


def test_the_same_phone_links_and_a_name_alone_does_not(boston):
    first = inquiry(boston, email="", phone="+16175550142")
    by_phone = inquiry(boston, name="D. Example", email="other@example.test", phone="6175550142")
    same_name = inquiry(boston, email="stranger@example.test")
    assert by_phone.linked_to == first and by_phone.link_reason == LinkReason.PHONE
    assert same_name.linked_to is None


def test_phones_match_whatever_the_format():
    keys = {
        matching.same_phone_key(value)
        for value in ("(617) 555-0142", "617.555.0142", "+1 617 555 0142", "6175550142")
    }
    assert keys == {"+16175550142"}
    assert matching.same_email_key(" Dana@Example.TEST ") == "dana@example.test"


def test_no_link_across_organisations(boston):
    other = Organization.objects.create(name="Other Clinic", slug="other", mrn_prefix="OC")
    elsewhere = Location.objects.create(
        organization=other, slug="elsewhere", name="Elsewhere", street="2 Road",
        city="Providence", state="RI", postal_code="02903", phone="(401) 555-0100",
    )  # fmt: skip
    first = inquiry(boston)
    second = inquiry(elsewhere)
    assert second.linked_to is None and first.linked.count() == 0


def test_another_location_keeps_one_lead_and_says_which_location_was_asked(inboxes, hartford,
                                                                           run_worker):  # fmt: skip
    first = inquiry(inboxes)
    second = inquiry(hartford)
    assert second.linked_to == first and second.location == hartford
    run_worker()
    [_, note] = mail.outbox
    assert sorted(note.to) == ["boston-inbox@example.test", "west-hartford-inbox@example.test"]
    assert "about West Hartford" in note.body


def test_an_old_closed_lead_is_a_new_episode_but_a_patient_is_still_linked(boston, alice):
    closed = inquiry(boston)
    Lead.objects.filter(pk=closed.pk).update(
        status=Status.DECLINED, updated_at=timezone.now() - dt.timedelta(days=200)
    )
    fresh = inquiry(boston)
    assert fresh.linked_to is None
    patient_lead = inquiry(boston, email="alice@example.test")
    Lead.objects.filter(pk=patient_lead.pk).update(
        status=Status.BECAME_PATIENT, patient=alice,
        updated_at=timezone.now() - dt.timedelta(days=900),
    )  # fmt: skip
    again = inquiry(boston, email="alice@example.test", name="Alice")
    assert again.linked_to_id == patient_lead.pk


def test_a_safety_flagged_screening_never_loses_its_flag_or_alert_by_linking(inboxes, run_worker):
    calm = inquiry(inboxes)
    flagged = screening(
        inboxes, triage_outcome=Outcome.URGENT_SAFETY, flags=["suicide-risk"],
        answers={"safety": {"phq-9": {"9": 3}}},
    )  # fmt: skip
    assert flagged.linked_to == calm
    flagged.refresh_from_db()
    calm.refresh_from_db()
    assert flagged.urgent and flagged.flags == ["suicide-risk"]  # kept on the submission
    assert calm.urgent and calm.flags == ["suicide-risk"]  # and raised on the person's lead
    [alert] = SafetyAlert.objects.all()
    assert alert.lead == flagged
    # A later calm message from the same person lowers nothing.
    inquiry(inboxes, message="Thanks for calling.")
    calm.refresh_from_db()
    assert calm.urgent and calm.flags == ["suicide-risk"]
    assert SafetyAlert.objects.count() == 1
    run_worker()
    staff = [m.subject for m in mail.outbox if "inbox" in m.to[0]]
    assert sum(subject.startswith("URGENT") for subject in staff) == 1


def test_a_linked_screening_turning_urgent_raises_the_person_s_lead_once(inboxes, run_worker):
    first = inquiry(inboxes)
    later = screening(inboxes)
    update_screening_lead(later, triage_outcome=Outcome.URGENT_SAFETY, flags=["suicide-risk"])
    update_screening_lead(later, scores=[{"instrument": "phq-9", "total": 20}])
    first.refresh_from_db()
    assert first.urgent and first.flags == ["suicide-risk"]
    run_worker()
    subjects = [message.subject for message in mail.outbox]
    assert len(subjects) == 3 and subjects[2].startswith("URGENT")


def test_an_urgent_first_lead_stays_urgent_when_a_calm_message_arrives(boston):
    first = screening(boston, triage_outcome=Outcome.URGENT_SAFETY, flags=["suicide-risk"])
    inquiry(boston)
    first.refresh_from_db()
    assert first.urgent and first.flags == ["suicide-risk"]


def test_the_inbox_shows_one_row_per_person_with_a_count(nurse, boston):
    first = inquiry(boston)
    inquiry(boston, message="Again.")
    inquiry(boston, message="And again.")
    other = inquiry(boston, name="Sam Other", email="sam@example.test")
    response = signed_in(nurse).get(reverse("leads:inbox"))
    rows = {lead.pk: lead.submissions for lead in response.context["page"]}
    assert rows == {first.pk: 3, other.pk: 1}
    assert "3 submissions" in response.content.decode()


def test_searching_the_inbox_finds_a_person_by_a_linked_submission_s_details(nurse, boston):
    first = inquiry(boston)
    inquiry(boston, phone="+16175550199")
    response = signed_in(nurse).get(reverse("leads:inbox"), {"q": "5550199"})
    assert [lead.pk for lead in response.context["page"]] == [first.pk]


def test_the_inbox_query_count_stays_put_as_linked_submissions_grow(nurse, boston):
    client = signed_in(nurse)
    inquiry(boston)
    inquiry(boston, name="Sam Other", email="sam@example.test")
    few = query_count(lambda: client.get(reverse("leads:inbox")))
    assert few <= 16  # as test_leads.py's: the submissions are subqueries of the page's query
    for number in range(15):
        inquiry(boston, message=f"Message {number}")
        inquiry(boston, name=f"Person {number}", email=f"person{number}@example.test")
    assert query_count(lambda: client.get(reverse("leads:inbox"))) == few


def test_the_lead_page_shows_every_submission_in_time_order(nurse, boston):
    first = inquiry(boston, message="The first message.")
    second = screening(boston, phone="+16175550142")
    third = inquiry(boston, message="The third message.")
    client = signed_in(nurse)
    response = client.get(reverse("leads:detail", args=[first.pk]))
    assert [item.pk for item in response.context["submissions"]] == [first.pk, second.pk, third.pk]
    html = response.content.decode()
    assert html.index("The first message.") < html.index("The third message.")
    assert "Submissions from this person" in html
    linked = client.get(reverse("leads:detail", args=[third.pk])).content.decode()
    assert "is filed with the lead of Dana Example" in linked
    assert "Create the chart" not in linked  # converted once, from the person's lead


def test_a_submission_at_another_location_opens_the_person_s_lead_there(boston, hartford):
    first = inquiry(boston)
    inquiry(hartford)
    hartford_nurse = make_user("hana_nurse", Role.NURSE, hartford)
    client = signed_in(hartford_nurse)
    response = client.get(reverse("leads:inbox"))
    assert [lead.pk for lead in response.context["page"]] == [first.pk]
    assert client.get(reverse("leads:detail", args=[first.pk])).status_code == 200
    alone = inquiry(boston, name="Sam Other", email="sam@example.test")
    assert client.get(reverse("leads:detail", args=[alone.pk])).status_code == 404


def test_only_the_name_alike_is_offered_and_staff_link_and_unlink_with_an_audit(front_desk, boston):
    first = inquiry(boston)
    other = inquiry(boston, email="dana.other@example.test")
    assert other.linked_to is None
    client = signed_in(front_desk)
    for lead, shown in ((first, other), (other, first)):
        page = client.get(reverse("leads:detail", args=[lead.pk]))
        assert [item.pk for item in page.context["possibly_same"]] == [shown.pk]
        assert "Possibly the same person as" in page.content.decode()

    response = client.post(reverse("leads:link", args=[other.pk]), {"other": first.pk})
    assert response.status_code == 302 and response.url == reverse("leads:detail", args=[first.pk])
    other.refresh_from_db()
    assert other.linked_to == first and other.link_reason == LinkReason.STAFF
    assert AuditEvent.objects.filter(
        action="leads.lead.link", actor_username=front_desk.username
    ).exists()
    assert LeadEvent.objects.filter(lead=first, kind=LeadEvent.Kind.LINK, by=front_desk).exists()
    inbox = client.get(reverse("leads:inbox"))
    assert [lead.pk for lead in inbox.context["page"]] == [first.pk]
    assert client.get(reverse("leads:detail", args=[first.pk])).context["possibly_same"] == []

    response = client.post(reverse("leads:unlink", args=[other.pk]))
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.linked_to is None
    assert AuditEvent.objects.filter(action="leads.lead.unlink").exists()
    assert LeadEvent.objects.filter(lead=first, kind=LeadEvent.Kind.UNLINK).exists()
    inbox = client.get(reverse("leads:inbox"))
    assert {lead.pk for lead in inbox.context["page"]} == {first.pk, other.pk}


def test_linking_refuses_a_lead_of_another_location_and_anonymous_visitors(
    client, front_desk, boston, hartford
):
    mine = inquiry(boston)
    theirs = inquiry(hartford, email="else@example.test", name="Else Where")
    staff = signed_in(front_desk)
    assert (
        staff.post(reverse("leads:link", args=[mine.pk]), {"other": theirs.pk}).status_code == 404
    )
    assert staff.post(reverse("leads:link", args=[mine.pk]), {"other": "x"}).status_code == 302
    anonymous = client.post(reverse("leads:link", args=[mine.pk]), {"other": theirs.pk})
    assert anonymous.status_code == 302 and "/login" in anonymous.url
    assert Lead.objects.filter(linked_to__isnull=False).count() == 0


def test_the_inbox_row_shows_the_outcome_of_a_screening_filed_with_an_inquiry(nurse, boston):
    first = inquiry(boston)
    screening(boston, triage_outcome=Outcome.LIKELY_CANDIDATE)
    client = signed_in(nurse)
    [row] = client.get(reverse("leads:inbox")).context["page"]
    assert row.pk == first.pk and row.outcome_label == "Likely candidate — book a consultation"
    found = client.get(reverse("leads:inbox"), {"outcome": Outcome.LIKELY_CANDIDATE})
    assert [lead.pk for lead in found.context["page"]] == [first.pk]


def test_a_flagged_screening_of_someone_already_a_patient_alerts_on_their_chart(boston, alice):
    first = inquiry(boston, email="alice@example.test")
    Lead.objects.filter(pk=first.pk).update(status=Status.BECAME_PATIENT, patient=alice)
    flagged = screening(
        boston, email="alice@example.test", name="Alice", triage_outcome=Outcome.URGENT_SAFETY,
        flags=["suicide-risk"], answers={"safety": {"phq-9": {"9": 2}}},
    )  # fmt: skip
    assert flagged.linked_to_id == first.pk
    [alert] = SafetyAlert.objects.all()
    assert alert.lead == flagged and alert.patient_id == alice.pk


def test_a_filed_submission_is_not_converted_on_its_own(nurse, boston):
    first = inquiry(boston)
    later = inquiry(boston, message="Again.")
    data = {"first_name": "Dana", "last_name": "Example", "date_of_birth": "1990-04-02",
            "sex": "female"}  # fmt: skip
    response = signed_in(nurse).post(reverse("leads:convert", args=[later.pk]), data)
    assert response.status_code == 302 and response.url == reverse("leads:detail", args=[first.pk])
    later.refresh_from_db()
    assert later.patient_id is None


def test_converting_the_persons_lead_carries_every_filed_submission(nurse, boston):
    """An inquiry first, then a flagged screening filed with it: converting the person's
    lead puts the screening's questionnaires, its alert and the texts consent on the chart."""
    from dendrite.patients.models import Consent, Patient, QuestionnaireResponse

    first = inquiry(boston)
    later = screening(
        boston, phone="+16175550142", consent_to_texts=True, flags=["suicide-risk"],
        triage_outcome=Outcome.URGENT_SAFETY,
        answers={"sex": "female", "answered_at": "2026-11-20T15:00:00+00:00",
                 "questionnaires": {"phq-9": {"version": "1.0.0", "answers":
                                              {str(n): 2 for n in range(1, 9)} | {"9": 1}}}},
    )  # fmt: skip
    assert later.linked_to_id == first.pk
    data = {"first_name": "Dana", "last_name": "Example", "date_of_birth": "1990-04-02",
            "sex": "female"}  # fmt: skip
    signed_in(nurse).post(reverse("leads:convert", args=[first.pk]), data)
    patient = Patient.objects.get()
    assert [r.instrument for r in QuestionnaireResponse.objects.filter(patient=patient)] == [
        "phq-9"
    ]
    assert SafetyAlert.objects.get(lead=later).patient_id == patient.pk
    assert Consent.objects.filter(patient=patient, kind="text_messages").exists()
    later.refresh_from_db()
    assert later.patient_id == patient.pk
