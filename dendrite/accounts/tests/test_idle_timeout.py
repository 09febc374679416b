"""Idle logout after 15 minutes by default — HIPAA §164.312(a)(2)(iii)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.conftest import signed_in

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 30, 14, 0, tzinfo=dt.UTC)


def test_a_user_active_within_the_limit_stays_signed_in(nurse):
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in(nurse)
        assert client.get(reverse("accounts:home")).status_code == 200
        for _ in range(3):
            clock.shift(dt.timedelta(minutes=14))
            assert client.get(reverse("accounts:home")).status_code == 200


def test_after_fifteen_idle_minutes_the_user_is_signed_out_with_a_clear_message(nurse):
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in(nurse)
        client.get(reverse("accounts:home"))
        clock.shift(dt.timedelta(minutes=15, seconds=1))
        response = client.get(reverse("accounts:home"), follow=True)
    assert response.redirect_chain[0][0] == reverse("accounts:login")
    assert b"signed out after 15 minutes without activity" in response.content
    assert AuditEvent.objects.filter(action="auth.idle_logout", actor_id=nurse.pk).exists()
    assert client.get(reverse("accounts:home")).status_code == 302


def test_the_limit_is_configurable(nurse, settings):
    settings.IDLE_TIMEOUT_SECONDS = 60
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in(nurse)
        client.get(reverse("accounts:home"))
        clock.shift(dt.timedelta(seconds=61))
        assert client.get(reverse("accounts:home")).status_code == 302
