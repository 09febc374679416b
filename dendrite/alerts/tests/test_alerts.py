"""Safety alerts: raised once per screening, shown everywhere, acknowledged and closed."""

import pytest
from django.test import Client
from django.urls import reverse

from dendrite.alerts import actions
from dendrite.alerts.models import AlertEvent, SafetyAlert
from dendrite.audit.models import AuditEvent
from dendrite.conftest import query_count, signed_in
from dendrite.leads.actions import update_screening_lead

from .conftest import CSSRS_Q4, HIGH, flag, screening_lead

pytestmark = pytest.mark.django_db


def test_a_safety_flag_on_a_lead_raises_one_alert_with_what_raised_it(boston):
    lead = flag(screening_lead(boston))
    alert = SafetyAlert.objects.get()
    assert (alert.lead, alert.location, alert.flags, alert.tier) == (
        lead, boston, ["suicide-risk"], "moderate"
    )  # fmt: skip
    [reason] = alert.reasons
    assert (reason["instrument"], reason["number"], reason["answer"]) == (
        "PHQ-9", "9", "Nearly every day"
    )  # fmt: skip
    update_screening_lead(lead, scores=[{"instrument": "gad-7", "total": 3}])
    assert SafetyAlert.objects.count() == 1
    assert AuditEvent.objects.filter(action="alerts.safetyalert.raise").count() == 1


def test_later_answers_that_add_risk_update_the_same_alert(boston):
    lead = flag(screening_lead(boston))
    flag(lead, HIGH, CSSRS_Q4)
    alert = SafetyAlert.objects.get()
    assert alert.tier == "high"
    assert [r["number"] for r in alert.reasons] == ["9", "1", "2", "4"]
    kinds = list(alert.events.values_list("kind", flat=True))
    assert kinds[:2] == [AlertEvent.Kind.RAISED, AlertEvent.Kind.RISK_ADDED]


def test_new_risk_after_the_alert_was_closed_reopens_it(boston, nurse):
    lead = flag(screening_lead(boston))
    alert = SafetyAlert.objects.get()
    actions.close(alert, by=nurse, outcome="reached_safe", note="")
    flag(lead, HIGH, CSSRS_Q4)
    alert.refresh_from_db()
    assert SafetyAlert.objects.count() == 1
    assert alert.is_open and not alert.is_acknowledged and alert.tier == "high"
    assert alert.events.filter(kind=AlertEvent.Kind.REOPENED).exists()


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
    url = reverse("alerts:detail", args=[SafetyAlert.objects.get().pk])
    assert client.get(url).status_code == 404


def test_the_alert_page_says_what_raised_it_in_words(boston, nurse):
    flag(screening_lead(boston))
    flag(SafetyAlert.objects.get().lead, HIGH, CSSRS_Q4)
    page = signed_in(nurse).get(reverse("alerts:detail", args=[SafetyAlert.objects.get().pk]))
    text = page.content.decode()
    assert "PHQ-9 question 9" in text and "Nearly every day" in text
    assert "C-SSRS screener question 4" in text
    assert "high risk" in text
    assert "suicide-risk" not in text  # never the internal code


def test_acknowledging_stops_the_repeats_but_keeps_the_alert_open(boston, nurse):
    flag(screening_lead(boston))
    alert = SafetyAlert.objects.get()
    client = signed_in(nurse)
    response = client.post(reverse("alerts:acknowledge", args=[alert.pk]), {"ack-note": "Calling"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == nurse and alert.is_open
    assert alert.next_escalation_at is None
    assert AuditEvent.objects.filter(action="alerts.safetyalert.acknowledge").exists()
    assert b"1 open safety alert" in client.get(reverse("accounts:home")).content


def test_a_nurse_closes_the_alert_with_an_outcome(boston, nurse):
    flag(screening_lead(boston))
    alert = SafetyAlert.objects.get()
    client = signed_in(nurse)
    url = reverse("alerts:close", args=[alert.pk])
    response = client.post(url, {"close-outcome": "reached_safe", "close-note": "Safe at home."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.closed_by, alert.outcome, alert.acknowledged_by) == (nurse, "reached_safe", nurse)
    assert AuditEvent.objects.filter(action="alerts.safetyalert.close").exists()
    assert b"open safety alert" not in client.get(reverse("accounts:home")).content


def test_closing_needs_an_outcome_and_a_note_for_something_else(boston, nurse):
    flag(screening_lead(boston))
    alert = SafetyAlert.objects.get()
    url = reverse("alerts:close", args=[alert.pk])
    client = signed_in(nurse)
    response = client.post(url, {"close-note": "typed"})
    assert response.status_code == 400
    assert b"Please choose what happened." in response.content and b"typed" in response.content
    response = client.post(url, {"close-outcome": "other", "close-note": ""})
    assert b"Please say in a few words what happened." in response.content
    alert.refresh_from_db()
    assert alert.is_open


def test_could_not_reach_records_an_attempt_and_never_closes(boston, nurse):
    flag(screening_lead(boston), HIGH, CSSRS_Q4)
    alert = SafetyAlert.objects.get()
    client = signed_in(nurse)
    url = reverse("alerts:attempt", args=[alert.pk])
    assert client.post(url, {"attempt-note": "Voicemail."}).status_code == 302
    alert.refresh_from_db()
    assert alert.is_open and alert.next_escalation_at is not None
    assert alert.events.filter(kind=AlertEvent.Kind.ATTEMPT, by=nurse, note="Voicemail.").exists()


def test_front_desk_and_admins_cannot_act_on_an_alert(boston, front_desk, clinic_admin):
    flag(screening_lead(boston))
    alert = SafetyAlert.objects.get()
    for name in ("acknowledge", "attempt", "close"):
        url = reverse(f"alerts:{name}", args=[alert.pk])
        for user in (front_desk, clinic_admin):
            assert signed_in(user).post(url, {"close-outcome": "seen"}).status_code == 403
    assert SafetyAlert.objects.get().is_open
    assert not SafetyAlert.objects.get().is_acknowledged


def test_anonymous_visitors_are_sent_to_sign_in(boston):
    flag(screening_lead(boston))
    url = reverse("alerts:detail", args=[SafetyAlert.objects.get().pk])
    assert Client().get(url).status_code == 302


def test_the_lead_page_shows_the_alerts_timeline_to_clinicians_only(boston, nurse, front_desk):
    lead = flag(screening_lead(boston))
    actions.record_attempt(SafetyAlert.objects.get(), by=nurse, note="No answer")
    page = signed_in(nurse).get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "Tried to reach the person; no answer" in page and "No answer" in page
    page = signed_in(front_desk).get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "Tried to reach the person" not in page


def test_the_alert_list_keeps_a_constant_query_count(boston, nurse):
    client = signed_in(nurse)
    flag(screening_lead(boston))
    few = query_count(lambda: client.get(reverse("alerts:list")))
    for number in range(20):
        flag(screening_lead(boston, phone=f"+1617555{number:04d}"))
    assert query_count(lambda: client.get(reverse("alerts:list"))) == few


def test_the_alert_list_puts_high_risk_first_and_pages(boston, nurse, settings):
    for number in range(30):
        flag(screening_lead(boston, phone=f"+1617555{number:04d}"))
    flag(screening_lead(boston, phone="+16175559999"), HIGH, CSSRS_Q4)
    high = SafetyAlert.objects.get(tier="high")
    first = SafetyAlert.objects.filter(tier="moderate").order_by("pk").first()
    page = signed_in(nurse).get(reverse("alerts:list")).content.decode()
    assert page.index(f"Open alert #{high.pk}<") < page.index(f"Open alert #{first.pk}<")
    assert "Page 1 of 2" in page
