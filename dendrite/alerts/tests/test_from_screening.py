"""The self-screening end to end: one screening raises one alert, which says in words
what raised it, rises to high risk as answers add risk, and is escalated at once."""

import pytest
import time_machine
from django.core import mail
from django.test import Client

from dendrite.alerts.models import AlertEvent, SafetyAlert
from dendrite.screening.tests.helpers import url, walk, yes_no

from .conftest import FRIDAY_630PM

pytestmark = pytest.mark.django_db


def test_item_9_then_a_high_risk_cssrs_answer_make_one_alert_escalated_at_once(
    boston, on_call, texts, run_worker
):
    client = Client()
    with time_machine.travel(FRIDAY_630PM, tick=False):
        mood = {f"q{n}": "0" for n in range(1, 9)} | {"q9": "2"}
        walk(client, boston, stop_at="safety", mood=mood)
        alert = SafetyAlert.objects.get()
        assert (alert.tier, alert.escalation_round) == ("moderate", 0)  # opening hours
        client.post(url("safety"), yes_no("1", "2", yes=("1", "2")))
        # Half-way through the C-SSRS: still the same alert, now with both answers.
        client.post(url("safety-more"), yes_no("3", "4", "5", "6", yes=("4",)))
        run_worker()
    alert = SafetyAlert.objects.get()
    assert alert.tier == "high" and alert.escalated_at == FRIDAY_630PM
    said = [(r["instrument"], r["number"], r["answer"]) for r in alert.reasons]
    assert ("PHQ-9", "9", "More than half the days") in said
    assert ("C-SSRS screener", "4", "Yes") in said
    assert alert.events.filter(kind=AlertEvent.Kind.RISK_ADDED).exists()
    assert [m.to for m in mail.outbox if m.subject.startswith("URGENT")] == [[on_call.email]]
    assert [t["to"] for t in texts()] == [on_call.mobile_phone]


def test_a_yes_on_a_skipped_safety_page_alerts_with_its_words(boston, run_worker):
    client = Client()
    walk(client, boston, stop_at="safety")
    client.post(url("safety"), {"q1": "yes", "skip": "1"})
    [reason] = SafetyAlert.objects.get().reasons
    assert (reason["instrument"], reason["number"], reason["answer"]) == (
        "C-SSRS screener", "1", "Yes"
    )  # fmt: skip
