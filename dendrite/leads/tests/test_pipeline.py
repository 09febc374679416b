"""Working a lead: contact log, status, assignment, first-response target, no lost updates."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.conftest import signed_in
from dendrite.leads.actions import create_lead
from dendrite.leads.models import Lead, LeadEvent, Source, Status

pytestmark = pytest.mark.django_db

MONDAY_9AM = dt.datetime(2026, 11, 30, 14, 0, tzinfo=dt.UTC)  # 09:00 in Boston


def new_lead(location, **extra):
    fields = {
        "source": Source.INQUIRY, "location": location, "name": "Dana Example",
        "email": "dana@example.test", "phone": "+16175550142", "consent_to_contact": True,
        "reasons": ["depression"],
    }  # fmt: skip
    return create_lead(**(fields | extra))


def test_a_lead_gets_a_first_response_target_of_one_business_day(boston):
    with time_machine.travel(MONDAY_9AM, tick=False):
        lead = new_lead(boston)
    # Boston (the cast) opens 08:00-18:00 on weekdays: due by Tuesday's close.
    assert lead.first_response_due == dt.datetime(2026, 12, 1, 23, 0, tzinfo=dt.UTC)


def test_past_the_target_a_new_lead_is_highlighted_and_counted(boston, front_desk):
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:
        lead = new_lead(boston)
        client = signed_in(front_desk)
        assert b"overdue" not in client.get(reverse("accounts:home")).content
        clock.shift(dt.timedelta(days=2))
        client = signed_in(front_desk)  # the old session timed out while idle
        home = client.get(reverse("accounts:home"))
        assert b"1 lead past the first-response target" in home.content
        inbox = client.get(reverse("leads:inbox"))
        assert b"Overdue" in inbox.content
        only_overdue = client.get(reverse("leads:inbox"), {"overdue": "on"})
        assert [row.pk for row in only_overdue.context["page"]] == [lead.pk]


def test_logging_a_contact_moves_a_new_lead_to_contacted_and_is_recorded(boston, front_desk):
    lead = new_lead(boston)
    client = signed_in(front_desk)
    response = client.post(
        reverse("leads:log_contact", args=[lead.pk]),
        {"channel": "phone", "outcome": "voicemail", "note": "Left a message.", "version": 1},
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.status, lead.version) == (Status.CONTACTED, 2)
    event = LeadEvent.objects.get()
    assert (event.by, event.channel, event.outcome) == (front_desk, "phone", "voicemail")
    assert AuditEvent.objects.filter(action="leads.lead.contact").exists()
    assert b"Left a message." in client.get(reverse("leads:detail", args=[lead.pk])).content


def test_every_status_change_records_who_when_and_a_note(boston, nurse):
    lead = new_lead(boston)
    signed_in(nurse).post(
        reverse("leads:change_status", args=[lead.pk]),
        {"status": "consult_scheduled", "note": "Consult on Friday.", "version": 1},
    )
    event = LeadEvent.objects.get()
    assert (event.from_status, event.to_status, event.by, event.note) == (
        "new", "consult_scheduled", nurse, "Consult on Friday."
    )  # fmt: skip


def test_assigning_to_a_colleague(boston, nurse, front_desk):
    lead = new_lead(boston)
    signed_in(front_desk).post(
        reverse("leads:assign", args=[lead.pk]), {"assignee": nurse.pk, "version": 1}
    )
    lead.refresh_from_db()
    assert lead.assignee == nurse


def test_a_colleague_at_another_location_cannot_be_assigned(
    boston, front_desk, prescriber_hartford
):
    lead = new_lead(boston)
    response = signed_in(front_desk).post(
        reverse("leads:assign", args=[lead.pk]), {"assignee": prescriber_hartford.pk, "version": 1}
    )
    assert response.status_code == 400
    lead.refresh_from_db()
    assert lead.assignee is None


def test_a_second_stale_save_is_refused_with_a_clear_message(boston, nurse, front_desk):
    lead = new_lead(boston)
    signed_in(nurse).post(
        reverse("leads:change_status", args=[lead.pk]),
        {"status": "declined", "note": "", "version": 1},
    )
    response = signed_in(front_desk).post(
        reverse("leads:change_status", args=[lead.pk]),
        {"status": "consult_scheduled", "note": "", "version": 1},
        follow=True,
    )
    assert b"A colleague changed this lead while you were looking at it" in response.content
    lead.refresh_from_db()
    assert lead.status == Status.DECLINED
    assert LeadEvent.objects.count() == 1


def test_bad_input_is_refused_per_field_and_nothing_changes(boston, nurse):
    lead = new_lead(boston)
    response = signed_in(nurse).post(
        reverse("leads:log_contact", args=[lead.pk]),
        {"channel": "pigeon", "outcome": "reached", "note": "kept text", "version": 1},
    )
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert b"kept text" in response.content
    assert not LeadEvent.objects.exists()


def test_other_location_wrong_role_and_anonymous_are_refused(
    boston, prescriber_hartford, clinic_admin, client
):
    lead = new_lead(boston)
    url = reverse("leads:change_status", args=[lead.pk])
    data = {"status": "declined", "note": "", "version": 1}
    assert signed_in(prescriber_hartford).post(url, data).status_code == 404
    assert client.post(url, data).status_code == 302
    assert Lead.objects.get().status == Status.NEW
    assert signed_in(clinic_admin).post(url, data).status_code == 302  # admins work leads
    assert Lead.objects.get().status == Status.DECLINED


def test_filters_and_search(boston, nurse):
    new_lead(boston, name="Alpha Person", email="alpha@example.test", phone="")
    new_lead(boston, name="Beta Person", email="", phone="+16175559876")
    client = signed_in(nurse)

    def names(**params):
        page = client.get(reverse("leads:inbox"), params).context["page"]
        return sorted(lead.name for lead in page)

    assert names(q="alpha") == ["Alpha Person"]
    assert names(q="(617) 555-9876") == ["Beta Person"]
    assert names(status="contacted") == []
    assert names() == ["Alpha Person", "Beta Person"]


def test_became_patient_cannot_be_chosen_by_hand(boston, nurse):
    lead = new_lead(boston)
    response = signed_in(nurse).post(
        reverse("leads:change_status", args=[lead.pk]),
        {"status": "became_patient", "note": "", "version": 1},
    )
    assert response.status_code == 400
    assert Lead.objects.get().status == Status.NEW
