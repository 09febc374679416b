"""Telling the prescribers about a chairside alert, again and again until one of them
acknowledges it at the chair: the safety alerts' way (alerts/actions.py), with the same
parts. Nobody acts here (there is no by=): this is the worker's side of
actions.record_vitals and actions.acknowledge_alert.

- A round is a ChairsideMessage row per person and channel (e-mail and text), each
  queued with its id only; the next round is queued INFUSION_ALERT_REPEAT_MINUTES later.
  Rounds 1 and 2 go to the prescribers on site; from round 3 (after the first repeat
  went unanswered) the location's clinic admins are told too.
- A message is claimed with dendrite.queue.claim (a lease), sent with its idempotency
  key (a text through dendrite.sms; an e-mail is handed to the outbox, which sends it
  once with its own Message-ID), and retried or given up with
  dendrite.queue.retry_or_give_up.
- The sweep (`manage.py repeat_chairside_alerts`, every minute from cron) runs every
  round that is due and queues again every message a dead worker left.

No personal data in a subject or a text: the chair and the location, and a link to the
chairside page (behind sign-in).
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from dendrite import queue, sms
from dendrite.accounts.models import Role, User
from dendrite.alerts.actions import channels
from dendrite.alerts.models import OnCallShift
from dendrite.audit.log import record
from dendrite.mail import send_later
from dendrite.queue import enqueue_with_transaction

from .models import ChairsideAlert, ChairsideMessage

logger = logging.getLogger(__name__)

Status = ChairsideMessage.Status
# Tries of one message before it is left failed; the next round goes out anyway.
RETRY_LIMIT = 8
# The round from which the clinic admins are told too (after the first repeat).
ADMINS_FROM_ROUND = 3
SUBJECT = "Chairside alert at {location}: a prescriber is needed now"


def prescribers_on_site(location_id: int, now: dt.datetime) -> list[User]:
    """Prescribers on shift at the location now; if none is on the rota, every active
    prescriber of the location (an alert must never go to nobody)."""
    shifts = OnCallShift.objects.filter(
        location_id=location_id, starts_at__lte=now, ends_at__gt=now,
        clinician__role=Role.PRESCRIBER, clinician__is_active=True,
    ).select_related("clinician")  # fmt: skip
    on_shift = [shift.clinician for shift in shifts]
    if on_shift:
        return on_shift
    return list(User.objects.filter(locations=location_id, role=Role.PRESCRIBER, is_active=True))


def recipients(alert: ChairsideAlert, now: dt.datetime) -> list[User]:
    """Who the alert's current round goes to: people with an address, each once."""
    people = prescribers_on_site(alert.location_id, now)
    if alert.round >= ADMINS_FROM_ROUND:
        people += list(
            User.objects.filter(
                locations=alert.location_id, role=Role.CLINIC_ADMIN, is_active=True
            ).order_by("pk")
        )
    unique = {p.pk: p for p in people if p.is_active and (p.email or p.mobile_phone)}
    return list(unique.values())


def send_round(alert: ChairsideAlert, now: dt.datetime) -> None:
    """The next round of messages, inside the caller's transaction with the alert locked,
    and the round after it queued (the sweep runs it if that task is lost)."""
    alert.round += 1
    people = recipients(alert, now)
    for person in people:
        for channel in channels(person):
            message = ChairsideMessage.objects.create(
                alert=alert, round=alert.round, recipient=person, channel=channel
            )
            _queue(message.pk)
    if not people:  # no personal data: an operator must add a prescriber's address
        logger.critical("Chairside alert %s has nobody with an address to tell.", alert.pk)
    alert.next_round_at = now + dt.timedelta(minutes=settings.INFUSION_ALERT_REPEAT_MINUTES)
    alert.save(update_fields=["round", "next_round_at"])
    record(
        "infusions.chairside_alert.round", obj=alert, patient_id=alert.infusion.patient_id,
        detail={"round": alert.round, "recipients": len(people)},
    )  # fmt: skip
    enqueue_with_transaction(repeat_alert, at=alert.next_round_at, alert_id=alert.pk)


def _locked(alert_id: int) -> ChairsideAlert:
    return (
        ChairsideAlert.objects.select_for_update(of=("self",))
        .select_related("infusion")
        .get(pk=alert_id)
    )


def _due(alert: ChairsideAlert, now: dt.datetime) -> bool:
    due = alert.next_round_at
    return alert.acknowledged_at is None and due is not None and due <= now


@task()
def repeat_alert(alert_id: int) -> str:
    """Runs when an alert's next round is due; does nothing once it is acknowledged."""
    now = timezone.now()
    with transaction.atomic():
        alert = _locked(alert_id)
        if not _due(alert, now):
            return "not due"
        send_round(alert, now)
    return "sent"


# Sending, exactly once


def _queue(message_id: int, at: dt.datetime | None = None) -> None:
    enqueue_with_transaction(send_message, at=at, message_id=message_id)


def message_text(message: ChairsideMessage) -> tuple[str, str]:
    """The subject and the body: where the patient is, never who."""
    alert = message.alert
    chair = alert.infusion.appointment.chair
    location = alert.location.name
    context = {
        "where": f"{chair.name} at {location}" if chair else location,
        "url": settings.SITE_URL
        + reverse("infusions:chairside", args=[alert.infusion.appointment_id]),
        "round": message.round,
    }
    template = f"infusions/messages/chairside_alert_{message.channel}.txt"
    return SUBJECT.format(location=location), render_to_string(template, context).strip()


@task()
def send_message(message_id: int) -> None:
    now = timezone.now()
    claimed = queue.claim(
        ChairsideMessage.objects.all(), message_id, now,
        lease_seconds=settings.INFUSION_ALERT_LEASE_SECONDS, due=False,
    )  # fmt: skip
    if not claimed:
        return  # sent already, or another worker holds it
    message = ChairsideMessage.objects.select_related(
        "alert__location", "alert__infusion__appointment__chair", "recipient"
    ).get(pk=message_id)
    mine = ChairsideMessage.objects.filter(pk=message_id, status=Status.SENDING)
    if message.alert.acknowledged_at is not None:
        mine.update(status=Status.CANCELLED, claimed_until=None)
        return
    subject, body = message_text(message)
    if message.channel == ChairsideMessage.Channel.EMAIL:
        # Handed to the outbox in the transaction that marks it sent: one outbox e-mail
        # per message, however often this runs.
        with transaction.atomic():
            if mine.update(status=Status.SENT, sent_at=now, claimed_until=None, last_error=""):
                send_later(subject, body, [message.recipient.email])
                _sent(message)
        return
    try:
        key = message.idempotency_key
        sms.get_backend().send(message.recipient.mobile_phone, body, key=key)
    except Exception as error:
        error_name, give_up = queue.describe(error)  # never a foreign message: it may hold a number
        logger.error(
            "Message %s about chairside alert %s failed (attempt %s): %s",
            message.pk, message.alert_id, message.attempts, error_name,
        )  # fmt: skip
        queue.retry_or_give_up(
            ChairsideMessage.objects.all(), message.pk, attempts=message.attempts,
            error_name=error_name, now=now, limit=RETRY_LIMIT,
            queue_again=lambda later: _queue(message.pk, later), give_up=give_up,
        )  # fmt: skip
        return
    with transaction.atomic():
        mine.update(status=Status.SENT, sent_at=timezone.now(), claimed_until=None, last_error="")
        _sent(message)


def _sent(message: ChairsideMessage) -> None:
    record(
        "infusions.chairside_message.send", obj=message,
        detail={"alert": message.alert_id, "channel": message.channel, "round": message.round},
    )  # fmt: skip


# The sweep


def sweep(now: dt.datetime | None = None) -> int:
    """Run every round that is due (its task was lost or the worker was down) and queue
    again every message a dead worker left. Extra tasks are harmless: only one claims."""
    now = now or timezone.now()
    due = ChairsideAlert.objects.open().filter(next_round_at__lte=now)
    ids = list(due.values_list("pk", flat=True))
    for alert_id in ids:
        with transaction.atomic():
            alert = _locked(alert_id)
            if _due(alert, now):
                send_round(alert, now)
    stuck = ChairsideMessage.objects.filter(queue.claimable(now, due=False))
    stuck_ids = list(stuck.values_list("pk", flat=True))
    with transaction.atomic():
        for message_id in stuck_ids:
            _queue(message_id)
    return len(ids)
