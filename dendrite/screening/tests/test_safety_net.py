"""The crisis safety net: the moment a submitted page raises "suicide-risk", the very next
page shows the crisis box and the lead turns urgent (staff told by e-mail), even if the
person goes no further. Flags are never dropped - CLINICAL.md §6 rules 1 and 2."""

import pytest
from django.core import mail

from dendrite.alerts.models import SafetyAlert
from dendrite.leads.models import Lead, Outcome
from dendrite.screening.models import ScreeningSession

from .helpers import CALM, scores, start, url, walk, yes_no

pytestmark = pytest.mark.django_db

CRISIS_BOX = 'class="crisis-box" role="alert"'


def page(client, slug: str) -> str:
    return client.get(url(slug)).content.decode()


def test_phq9_item_9_at_1_makes_the_lead_urgent_at_once_and_e_mails_staff(
    client, clinic, run_worker
):
    start(client, clinic)
    response = client.post(url("mood"), scores(9, q9=1))
    assert response.url == url("anxiety")
    lead = Lead.objects.get()
    assert lead.urgent and lead.triage_outcome == Outcome.URGENT_SAFETY
    assert lead.flags == ["suicide-risk"]
    assert lead.scores[0]["flags"] == ["suicide-risk"]
    [alert] = SafetyAlert.objects.open()  # shown on every staff page until acknowledged
    assert alert.lead == lead and alert.flags == ["suicide-risk"]
    run_worker()
    assert [m.subject for m in mail.outbox] == [
        "New self-screening for Boston",
        "URGENT: a self-screening needs a call back today",
    ]
    assert "Dana" not in mail.outbox[1].subject + mail.outbox[1].body


def test_the_very_next_page_shows_the_crisis_box_with_988_and_911(client, boston):
    start(client, boston)
    assert CRISIS_BOX not in page(client, "mood")
    client.post(url("mood"), scores(9, q9=1))
    html = page(client, "anxiety")
    assert CRISIS_BOX in html
    box = html[html.index(CRISIS_BOX) : html.index("</div>", html.index(CRISIS_BOX))]
    assert 'href="tel:988"' in box and 'href="sms:988"' in box and "988lifeline.org" in box
    assert 'href="tel:911"' in box and "immediate danger" in box


def test_without_item_9_no_crisis_box_and_the_lead_stays_calm(client, boston):
    start(client, boston)
    client.post(url("mood"), scores(9, 3, q9=0))
    assert CRISIS_BOX not in page(client, "anxiety")
    lead = Lead.objects.get()
    assert not lead.urgent and lead.triage_outcome == Outcome.INCOMPLETE and lead.flags == []


def test_changing_item_9_back_to_0_never_drops_the_flag(client, clinic, run_worker):
    start(client, clinic)
    client.post(url("mood"), scores(9, q9=2))
    client.post(url("mood"), scores(9, q9=0))
    screening = ScreeningSession.objects.get()
    assert screening.results["phq-9"]["flags"] == []
    assert screening.flags == {"phq-9": ["suicide-risk"]}
    lead = Lead.objects.get()
    assert lead.urgent and lead.flags == ["suicide-risk"]
    assert lead.scores[0]["flags"] == ["suicide-risk"]
    assert CRISIS_BOX in page(client, "anxiety")
    run_worker()
    assert sum(m.subject.startswith("URGENT") for m in mail.outbox) == 1  # told once


def test_a_yes_on_the_offered_c_ssrs_first_page_raises_the_alarm_before_the_rest(
    client, clinic, run_worker
):
    walk(client, clinic, stop_at="safety")
    response = client.post(url("safety"), yes_no("1", "2", yes=("1",)))
    assert response.url == url("safety-more")
    assert CRISIS_BOX in page(client, "safety-more")
    lead = Lead.objects.get()
    assert lead.urgent and lead.flags == ["suicide-risk"]
    run_worker()
    assert mail.outbox[-1].subject.startswith("URGENT")


def test_a_high_risk_answer_adds_the_call_911_now_advice(client, boston):
    walk(client, boston, stop_at="safety", mood=scores(9, q9=1))
    client.post(url("safety"), yes_no("1", "2", yes=("1", "2")))
    client.post(url("safety-more"), yes_no("3", "4", "5", "6", yes=("4",)))
    html = page(client, "health")
    assert "please call 911 now" in html
    assert Lead.objects.get().flags == ["suicide-risk", "suicide-risk-high"]


def test_a_flagged_screening_ends_urgent_with_the_crisis_box_on_the_result(client, boston):
    response = walk(client, boston, mood=scores(9, q9=1), safety=CALM["safety"])
    assert response.url == "/screening/result/"
    html = client.get(response.url).content.decode()
    assert CRISIS_BOX in html and "Your safety comes first" in html
    lead = Lead.objects.get()
    assert lead.triage_outcome == Outcome.URGENT_SAFETY and lead.urgent
    assert [rule["rule"] for rule in lead.triage_rules][:1] == ["phq9-item9"]
