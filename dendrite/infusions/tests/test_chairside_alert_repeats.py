"""A chairside alert is told like a safety alert: by e-mail (through the outbox) and text
to the prescribers on site at once, again every INFUSION_ALERT_REPEAT_MINUTES until one
acknowledges it, to the clinic admins too from the third round; each message a stored
row, claimed with a lease and sent once with its idempotency key; a lost task or a dead
worker is made good by the sweep (manage.py repeat_chairside_alerts). No message names
the patient (Alice Lovelace): the chair and the location only."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from dendrite.alerts.tests.conftest import texts  # noqa: F401 (a fixture)
from dendrite.conftest import signed_in
from dendrite.infusions import actions, alerting
from dendrite.infusions.models import ChairsideAlert, ChairsideMessage
from dendrite.outbox.models import Email

from .conftest import GOOD_VITALS, NOW, running

pytestmark = pytest.mark.django_db
HIGH = GOOD_VITALS | {"systolic": Decimal(186)}
Status = ChairsideMessage.Status


@pytest.fixture
def reachable(prescriber, clinic_admin):
    """The Boston prescriber and clinic admin, each with an e-mail and a mobile."""
    for n, person in enumerate((prescriber, clinic_admin)):
        person.mobile_phone = f"+1617555010{n}"
        person.save()
    return prescriber


@pytest.fixture
def alert(visit, order, nurse, nurse_two, reachable, texts):  # noqa: F811
    infusion = running(visit, nurse, nurse_two, order)
    _, raised = actions.record_vitals(infusion, by=nurse, values=HIGH)
    return raised


def at(minutes: int) -> dt.datetime:
    return NOW + dt.timedelta(minutes=minutes)


def sent_to(round_: int) -> set[tuple[str, str]]:
    rows = ChairsideMessage.objects.filter(round=round_, status=Status.SENT)
    return {(m.recipient.username, m.channel) for m in rows.select_related("recipient")}


def test_the_prescriber_is_e_mailed_and_texted_at_once_without_the_patient_name(
    alert,
    reachable,
    run_worker,
    texts,  # noqa: F811
):
    assert alert.round == 1 and alert.next_round_at == at(5)
    run_worker()
    assert sent_to(1) == {("priya_prescriber", "email"), ("priya_prescriber", "sms")}
    (email,) = Email.objects.all()
    assert email.subject == "Chairside alert at Boston: a prescriber is needed now"
    (text,) = texts()
    assert text["to"] == reachable.mobile_phone
    assert text["body"].startswith("Dendrite: a patient in Chair 1 at Boston needs a prescriber")
    assert text["key"] == ChairsideMessage.objects.get(channel="sms").idempotency_key
    assert reverse("infusions:chairside", args=[alert.infusion.appointment_id]) in text["body"]
    body = alert_mail_body()
    for words in (email.subject, text["body"], body):
        assert "Alice" not in words and "Lovelace" not in words


def alert_mail_body() -> str:
    message = ChairsideMessage.objects.filter(channel="email").first()
    assert message is not None
    return alerting.message_text(message)[1]


def test_it_repeats_every_few_minutes_and_widens_to_the_clinic_admins_from_round_three(
    alert,
    run_worker,
    time_machine,
    texts,  # noqa: F811
):
    run_worker()
    time_machine.move_to(at(4), tick=False)
    run_worker()
    assert not ChairsideMessage.objects.filter(round=2).exists()  # not yet due
    time_machine.move_to(at(5), tick=False)
    run_worker()
    assert sent_to(2) == {("priya_prescriber", "email"), ("priya_prescriber", "sms")}
    assert "Dendrite reminder 2:" in texts()[-1]["body"]
    time_machine.move_to(at(10), tick=False)
    run_worker()
    assert {who for who, _ in sent_to(3)} == {"priya_prescriber", "adam_admin"}
    assert ChairsideAlert.objects.get().round == 3
    assert Email.objects.count() == 4 and len(texts()) == 4


def test_the_interval_is_the_clinic_s_setting(visit, order, nurse, nurse_two, settings):
    settings.INFUSION_ALERT_REPEAT_MINUTES = 2
    infusion = running(visit, nurse, nurse_two, order)
    _, raised = actions.record_vitals(infusion, by=nurse, values=HIGH)
    assert raised.next_round_at == at(2)


def test_an_acknowledgement_stops_the_repeats_and_cancels_what_is_waiting(
    alert,
    prescriber,
    run_worker,
    time_machine,
    texts,  # noqa: F811
):
    run_worker()
    time_machine.move_to(at(5), tick=False)
    alerting.sweep()  # round 2 stored and queued, not yet sent
    signed_in(prescriber).post(
        reverse("infusions:acknowledge", args=[alert.pk]),
        {f"ack-{alert.pk}-action_taken": "At the chair; infusion paused."},
    )
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None and alert.next_round_at is None
    assert set(ChairsideMessage.objects.filter(round=2).values_list("status", flat=True)) == {
        Status.CANCELLED
    }
    time_machine.move_to(at(30), tick=False)
    run_worker()
    alerting.sweep()
    assert ChairsideAlert.objects.get().round == 2
    assert Email.objects.count() == 1 and len(texts()) == 1  # round 1 only


def test_a_message_claimed_after_the_acknowledgement_is_not_sent(alert, prescriber):
    actions.acknowledge_alert(alert, by=prescriber, action_taken="Seen.")
    message = ChairsideMessage.objects.filter(round=1).first()
    assert message is not None and message.status == Status.CANCELLED
    ChairsideMessage.objects.filter(pk=message.pk).update(status=Status.PENDING)
    alerting.send_message.call(message_id=message.pk)
    assert ChairsideMessage.objects.get(pk=message.pk).status == Status.CANCELLED
    assert not Email.objects.exists()


def test_a_lost_round_is_sent_by_the_sweep_once(alert, run_worker, time_machine):
    run_worker()
    time_machine.move_to(at(6), tick=False)
    call_command("repeat_chairside_alerts")  # the cron line
    assert ChairsideAlert.objects.get().round == 2
    run_worker()  # round 1's queued repeat finds it no longer due
    alerting.sweep()
    assert ChairsideAlert.objects.get().round == 2
    assert sent_to(2) == {("priya_prescriber", "email"), ("priya_prescriber", "sms")}


def test_a_message_left_by_a_dead_worker_is_sent_again_but_only_once(
    alert,
    run_worker,
    time_machine,
    texts,  # noqa: F811
):
    run_worker()
    text = ChairsideMessage.objects.get(round=1, channel="sms")
    email = ChairsideMessage.objects.get(round=1, channel="email")
    # Both were claimed by a worker that died before it recorded the send.
    ChairsideMessage.objects.filter(pk__in=[text.pk, email.pk]).update(
        status=Status.SENDING, claimed_until=at(2), sent_at=None
    )
    alerting.send_message.call(message_id=text.pk)  # the lease still holds: not sent
    assert ChairsideMessage.objects.get(pk=text.pk).status == Status.SENDING
    time_machine.move_to(at(3), tick=False)
    alerting.sweep()
    run_worker()
    assert ChairsideMessage.objects.get(pk=text.pk).status == Status.SENT
    assert len(texts()) == 1  # the provider dropped the repeat of the same key
    # The e-mail was handed to the outbox only when its row was marked sent: the outbox
    # holds one per message, never two.
    assert Email.objects.count() == 2
    assert ChairsideMessage.objects.get(pk=email.pk).attempts == 2


def test_a_text_that_fails_is_retried_then_left_failed(alert, run_worker, settings, time_machine):
    settings.SMS_BACKEND = "dendrite.infusions.tests.test_chairside_alert_repeats.Broken"
    run_worker()
    text = ChairsideMessage.objects.get(round=1, channel="sms")
    assert (text.status, text.last_error) == (Status.PENDING, "ConnectionError")
    for attempt in range(alerting.RETRY_LIMIT):
        time_machine.move_to(at(4) + dt.timedelta(hours=attempt), tick=False)
        ChairsideMessage.objects.filter(pk=text.pk).update(status=Status.PENDING)
        if attempt >= 1:
            alerting.send_message.call(message_id=text.pk)
    text.refresh_from_db()
    assert text.status == Status.FAILED and text.attempts == alerting.RETRY_LIMIT


class Broken:
    def send(self, to: str, body: str, *, key: str) -> None:
        raise ConnectionError("provider down")


def test_the_chairside_page_says_how_often_the_prescribers_were_told(alert, nurse, visit):
    page = signed_in(nurse).get(reverse("infusions:chairside", args=[visit.pk]))
    html = page.content.decode()
    assert "told 1 time by e-mail and text; next reminder at 9:05 AM" in html
