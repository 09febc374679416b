"""Safety alerts: raised with the lead, shown everywhere, acknowledged, or escalated."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from dendrite.accounts.models import Role
from dendrite.alerts.models import SafetyAlert
from dendrite.audit.models import AuditEvent
from dendrite.conftest import make_user, query_count, signed_in
from dendrite.leads.actions import create_lead, update_screening_lead
from dendrite.leads.models import Outcome, Source

pytestmark = pytest.mark.django_db

# Monday 30 November 2026, 10:00 in Boston (15:00 UTC): the clinic is open 08:00–18:00.
MONDAY_10AM = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC)


class MailServerDown:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def on_call(boston):
    user = make_user("oscar_oncall", Role.PRESCRIBER, boston)
    user.is_on_call = True
    user.save()
    return user


def screening_lead(location, **extra):
    fields = {
        "source": Source.SCREENING,
        "location": location,
        "name": "Sam Sample",
        "phone": "+16175550123",
        "consent_to_contact": True,
        "triage_outcome": Outcome.INCOMPLETE,
    }
    return create_lead(**(fields | extra))


def flag(lead):
    return update_screening_lead(lead, triage_outcome=Outcome.URGENT_SAFETY, flags=["suicide-risk"])


def test_a_safety_flag_on_a_lead_raises_one_alert(boston):
    lead = flag(screening_lead(boston))
    alert = SafetyAlert.objects.get()
    assert (alert.lead, alert.location, alert.flags) == (lead, boston, ["suicide-risk"])
    update_screening_lead(lead, scores=[{"instrument": "gad-7", "total": 3}])
    assert SafetyAlert.objects.count() == 1
    assert AuditEvent.objects.filter(action="alerts.safetyalert.raise").count() == 1


def test_a_later_answer_never_drops_a_flag(boston):
    lead = flag(screening_lead(boston))
    update_screening_lead(lead, flags=[])
    lead.refresh_from_db()
    assert lead.flags == ["suicide-risk"] and lead.urgent


def test_the_banner_shows_on_every_staff_page_of_the_location(boston, nurse, front_desk):
    flag(screening_lead(boston))
    for user, link in ((nurse, True), (front_desk, False)):
        page = signed_in(user).get(reverse("accounts:home"))
        assert b"1 open safety alert" in page.content
        assert (reverse("alerts:list").encode() in page.content) is link


def test_the_other_location_sees_no_banner_and_cannot_open_the_alert(boston, prescriber_hartford):
    flag(screening_lead(boston))
    client = signed_in(prescriber_hartford)
    assert b"open safety alert" not in client.get(reverse("accounts:home")).content
    url = reverse("alerts:acknowledge", args=[SafetyAlert.objects.get().pk])
    assert client.get(url).status_code == 404


def test_a_nurse_acknowledges_with_what_was_done(boston, nurse):
    flag(screening_lead(boston))
    alert = SafetyAlert.objects.get()
    client = signed_in(nurse)
    url = reverse("alerts:acknowledge", args=[alert.pk])
    response = client.post(url, {"action": "reached", "note": "Spoke with them; safe at home."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.action) == (nurse, "reached")
    assert AuditEvent.objects.filter(action="alerts.safetyalert.acknowledge").exists()
    assert b"open safety alert" not in client.get(reverse("accounts:home")).content


def test_acknowledging_needs_an_action_and_a_note_for_other(boston, nurse):
    flag(screening_lead(boston))
    alert = SafetyAlert.objects.get()
    url = reverse("alerts:acknowledge", args=[alert.pk])
    client = signed_in(nurse)
    assert b"This field is required" in client.post(url, {"note": ""}).content
    response = client.post(url, {"action": "other", "note": ""})
    assert b"Please say in a few words what was done." in response.content
    alert.refresh_from_db()
    assert alert.is_open


def test_front_desk_and_admins_cannot_acknowledge(boston, front_desk, clinic_admin):
    flag(screening_lead(boston))
    url = reverse("alerts:acknowledge", args=[SafetyAlert.objects.get().pk])
    for user in (front_desk, clinic_admin):
        assert signed_in(user).post(url, {"action": "reached"}).status_code == 403
    assert SafetyAlert.objects.get().is_open


def test_an_acknowledged_alert_does_not_escalate(boston, nurse, on_call, run_worker):
    with time_machine.travel(MONDAY_10AM, tick=False) as clock:
        flag(screening_lead(boston))
        signed_in(nurse).post(
            reverse("alerts:acknowledge", args=[SafetyAlert.objects.get().pk]),
            {"action": "reached"},
        )
        clock.shift(dt.timedelta(minutes=16))
        run_worker()
    assert SafetyAlert.objects.get().escalated_at is None
    assert not any("not yet acknowledged" in m.subject for m in mail.outbox)


def test_an_alert_raised_while_mail_is_down_escalates_once_mail_is_back(
    boston, on_call, clinic_admin, run_worker, settings
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.MailServerDown"}}
    with time_machine.travel(MONDAY_10AM, tick=False) as clock:
        flag(screening_lead(boston))
        alert = SafetyAlert.objects.get()
        assert alert.escalate_at == MONDAY_10AM + dt.timedelta(minutes=15)
        clock.shift(dt.timedelta(minutes=14))
        run_worker()
        assert SafetyAlert.objects.get().escalated_at is None  # not yet due
        clock.shift(dt.timedelta(minutes=2))
        run_worker()
        assert SafetyAlert.objects.get().escalated_at is not None
        assert mail.outbox == []  # the server is down: nothing sent, nothing lost
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        clock.shift(dt.timedelta(minutes=5))
        run_worker()
    escalations = [m for m in mail.outbox if "not yet acknowledged" in m.subject]
    assert len(escalations) == 1
    assert sorted(escalations[0].to) == sorted([on_call.email, clinic_admin.email])
    assert "Sam" not in escalations[0].subject + escalations[0].body
    assert AuditEvent.objects.filter(action="alerts.safetyalert.escalate").count() == 1


def test_the_alert_list_keeps_a_constant_query_count(boston, nurse):
    client = signed_in(nurse)
    flag(screening_lead(boston))
    few = query_count(lambda: client.get(reverse("alerts:list")))
    for number in range(20):
        flag(screening_lead(boston, phone=f"+1617555{number:04d}"))
    assert query_count(lambda: client.get(reverse("alerts:list"))) == few


def test_only_prescribers_can_be_on_call(clinic_admin, nurse, boston):
    data = {
        "username": nurse.username, "first_name": "Nora", "last_name": "Tester",
        "email": nurse.email, "role": "nurse", "locations": [boston.pk], "is_on_call": "on",
    }  # fmt: skip
    response = signed_in(clinic_admin).post(reverse("accounts:user_edit", args=[nurse.pk]), data)
    assert b"Only prescribers can be on call" in response.content


def test_with_nobody_on_call_the_escalation_goes_to_the_locations_inbox(boston, run_worker):
    boston.email = "boston-inbox@example.test"
    boston.save()
    with time_machine.travel(MONDAY_10AM, tick=False) as clock:
        flag(screening_lead(boston))
        clock.shift(dt.timedelta(minutes=16))
        run_worker()
    escalations = [m for m in mail.outbox if "not yet acknowledged" in m.subject]
    assert [m.to for m in escalations] == [["boston-inbox@example.test"]]
