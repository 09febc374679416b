"""Escalation that matches the risk: high risk at once at any hour, by e-mail and text,
repeating until a clinician acknowledges; lower tiers on the opening-hours clock; an
alert with nobody to send to stays open, visible and loud. Time-machine tests."""

import datetime as dt
import logging

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from dendrite.accounts.models import Role
from dendrite.alerts import actions
from dendrite.alerts.models import AlertEvent, Escalation, SafetyAlert
from dendrite.conftest import make_user, signed_in

from .conftest import CSSRS_Q4, FRIDAY_630PM, HIGH, MONDAY_10AM, flag, screening_lead

pytestmark = pytest.mark.django_db
MINUTE = dt.timedelta(minutes=1)


def urgent(outbox):
    return [m for m in outbox if m.subject.startswith("URGENT: safety alert")]


def test_a_high_risk_alert_on_friday_evening_reaches_the_on_call_clinician_at_once(
    boston, on_call, texts, run_worker
):
    with time_machine.travel(FRIDAY_630PM, tick=False) as clock:
        flag(screening_lead(boston), HIGH, CSSRS_Q4)
        clock.shift(MINUTE)
        run_worker()
    alert = SafetyAlert.objects.get()
    assert alert.tier == "high" and alert.escalated_at == FRIDAY_630PM
    [email] = urgent(mail.outbox)
    assert email.to == [on_call.email]
    assert "Sam" not in email.subject + email.body  # no personal details
    assert reverse("alerts:detail", args=[alert.pk]) in email.body
    assert email.extra_headers["Message-ID"].startswith("<dendrite-escalation-")
    [text] = texts()
    assert text["to"] == on_call.mobile_phone and "URGENT" in text["body"]


def test_it_repeats_every_15_minutes_widening_the_circle_until_acknowledged(
    boston, on_call, backup, clinic_admin, nurse, texts, run_worker
):
    with time_machine.travel(FRIDAY_630PM, tick=False) as clock:
        flag(screening_lead(boston), HIGH, CSSRS_Q4)
        run_worker()
        assert [m.to for m in urgent(mail.outbox)] == [[on_call.email]]
        clock.shift(14 * MINUTE)
        run_worker()
        assert len(urgent(mail.outbox)) == 1  # not yet
        clock.shift(MINUTE)
        run_worker()  # the task queued for the next round
        second = {m.to[0] for m in urgent(mail.outbox)[1:]}
        assert second == {on_call.email, backup.email, clinic_admin.email}
        assert {t["to"] for t in texts()} == {on_call.mobile_phone, backup.mobile_phone}
        alert = SafetyAlert.objects.get()
        actions.acknowledge(alert, by=nurse)
        clock.shift(60 * MINUTE)
        actions.sweep()
        run_worker()
    assert len(urgent(mail.outbox)) == 4  # rounds 1 and 2 only
    assert SafetyAlert.objects.get().escalation_round == 2


def test_a_lower_tier_alert_on_friday_evening_waits_for_opening_time(
    boston, on_call, texts, run_worker
):
    with time_machine.travel(FRIDAY_630PM, tick=False) as clock:
        flag(screening_lead(boston))
        alert = SafetyAlert.objects.get()
        # Closed all weekend: Monday 08:00 + 15 minutes of opening time.
        assert alert.escalate_at == dt.datetime(2026, 11, 30, 13, 15, tzinfo=dt.UTC)
        clock.shift(dt.timedelta(hours=12))
        actions.sweep()
        run_worker()
        assert urgent(mail.outbox) == []
        clock.move_to(alert.escalate_at + MINUTE)
        actions.sweep()
        run_worker()
    assert [m.to for m in urgent(mail.outbox)] == [[on_call.email]]


def test_an_alert_with_no_clinician_on_call_stays_open_visible_and_loud(
    boston, clinic_admin, front_desk, run_worker, caplog
):
    with time_machine.travel(FRIDAY_630PM, tick=False):
        with caplog.at_level(logging.CRITICAL, logger="dendrite.alerts.actions"):
            flag(screening_lead(boston), HIGH, CSSRS_Q4)
        run_worker()
    alert = SafetyAlert.objects.get()
    assert alert.is_open and alert.unrouted_since == FRIDAY_630PM
    assert "no clinician on call" in caplog.text
    # The clinic admins are told, never no one; nobody clinical is counted as reached.
    assert [m.to for m in urgent(mail.outbox)] == [[clinic_admin.email]]
    assert alert.events.filter(kind=AlertEvent.Kind.UNROUTED).count() == 1
    for user in (front_desk, clinic_admin):
        page = signed_in(user).get(reverse("accounts:home")).content.decode()
        assert f"Safety alert #{alert.pk} at Boston has no clinician on call" in page


def test_with_nobody_at_all_the_alert_is_tried_again_every_minute(boston, run_worker, caplog):
    with time_machine.travel(FRIDAY_630PM, tick=False) as clock:
        flag(screening_lead(boston), HIGH, CSSRS_Q4)
        alert = SafetyAlert.objects.get()
        assert alert.escalation_round == 0 and alert.next_escalation_at == FRIDAY_630PM + MINUTE
        on_call = make_user("late_arrival", Role.PRESCRIBER, boston)
        actions.add_shift(
            actions.OnCallShift(
                location=boston, clinician=on_call,
                starts_at=FRIDAY_630PM, ends_at=FRIDAY_630PM + dt.timedelta(hours=12),
            ),
            by=on_call,
        )  # fmt: skip
        clock.shift(2 * MINUTE)
        actions.sweep()
        run_worker()
    alert.refresh_from_db()
    assert alert.unrouted_since is None and alert.escalation_round == 1
    assert [m.to for m in urgent(mail.outbox)] == [[on_call.email]]


def test_could_not_reach_schedules_the_next_try_and_tells_whoever_tried(
    boston, on_call, nurse, texts, run_worker, settings
):
    settings.SAFETY_ALERT_RETRY_MINUTES = 30
    with time_machine.travel(FRIDAY_630PM, tick=False) as clock:
        flag(screening_lead(boston), HIGH, CSSRS_Q4)
        run_worker()
        alert = actions.record_attempt(SafetyAlert.objects.get(), by=nurse, note="No answer")
        assert alert.next_escalation_at == FRIDAY_630PM + 30 * MINUTE
        clock.shift(31 * MINUTE)
        run_worker()
    reminders = [m for m in urgent(mail.outbox) if "time to try again" in m.body]
    assert {m.to[0] for m in reminders} == {on_call.email, nurse.email}
    assert SafetyAlert.objects.get().is_open


def test_each_escalation_message_is_sent_once_even_if_queued_twice(
    boston, on_call, texts, run_worker
):
    with time_machine.travel(FRIDAY_630PM, tick=False):
        flag(screening_lead(boston), HIGH, CSSRS_Q4)
        for escalation in Escalation.objects.all():
            actions._queue(escalation.pk)  # a duplicate task
        run_worker()
    assert len(urgent(mail.outbox)) == 1 and len(texts()) == 1
    assert set(Escalation.objects.values_list("status", flat=True)) == {"sent"}


def test_a_worker_that_died_holding_a_message_is_recovered_by_the_sweep(
    boston, on_call, texts, run_worker, settings
):
    settings.SAFETY_ALERT_LEASE_SECONDS = 120
    with time_machine.travel(FRIDAY_630PM, tick=False) as clock:
        flag(screening_lead(boston), HIGH, CSSRS_Q4)
        email = Escalation.objects.get(channel="email")
        assert actions._claim(email.pk, FRIDAY_630PM)  # claimed, then the worker died
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()  # and its tasks are gone too
        clock.shift(MINUTE)
        actions.sweep()
        run_worker()
        assert Escalation.objects.get(pk=email.pk).status == "sending"  # lease still held
        clock.shift(2 * MINUTE)
        actions.sweep()
        run_worker()
    assert Escalation.objects.get(pk=email.pk).status == "sent"
    assert len(urgent(mail.outbox)) == 1


def test_a_mail_server_that_is_down_delays_but_never_loses_an_escalation(
    boston, on_call, run_worker, settings
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.MailServerDown"}}
    with time_machine.travel(MONDAY_10AM, tick=False) as clock:
        flag(screening_lead(boston), HIGH, CSSRS_Q4)
        run_worker()
        assert urgent(mail.outbox) == []
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        clock.shift(2 * MINUTE)
        run_worker()
    first_round = [m for m in urgent(mail.outbox)]
    assert [m.to for m in first_round] == [[on_call.email]]


class MailServerDown:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")
