"""Sending: the booking confirmation and the reminders, each reminder sent exactly once.

This is the worker's side, not an action: nobody acts here (no `by=`); a task claims,
sends and records what it sent, and the sweep recovers what a dead worker left. The
writes a person causes are in actions/reminders.py: booking creates the Reminder rows
there (one per appointment, offset (SCHEDULING_REMINDER_HOURS) and consented channel,
each with its `send_reminder` task queued for the moment it is due, moved earlier out
of the location's quiet hours, quiet_hours.py), and staff ask for another try there.
Booking also calls `send_confirmation` below in its transaction, which hands the
message to messaging.py as the waitlist's offer does.

Exactly once, even with two workers or a worker that dies mid-send:

1. `send_reminder` claims the row with one conditional UPDATE (pending and due, or
   sending with an expired lease → sending, with a lease). Only the worker whose UPDATE
   changed the row goes on; any other returns.
2. It checks again that the appointment still stands and the consent too.
3. It sends with the reminder's idempotency key (the SMS provider's key; the e-mail's
   Message-ID), so a re-send after a crash between "accepted" and "sent" is one message.
4. It marks the row sent. A send that raises goes back to pending with a later try,
   and to failed after RETRY_LIMIT tries: failed and stuck ones are on the staff page
   (views/sending.py).

A worker killed after step 1 leaves the row sending; the sweep (`manage.py
send_due_reminders`, every minute from cron) queues it again once the lease expires.
"""

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from dendrite import dates, queue
from dendrite.audit.log import record
from dendrite.queue import enqueue_with_transaction, retry_delay

from . import links, messaging, quiet_hours
from .ical import appointment_ics
from .models import RELEASED, Appointment, Channel, Reminder

logger = logging.getLogger(__name__)

Status = Reminder.Status
# Tries of one reminder (1, 2, 4, 8, 16 minutes apart) before it is left failed for
# staff to see: a reminder is only useful before the visit.
RETRY_LIMIT = 6
# A due reminder no worker has picked up for this long is shown to staff as stuck.
STUCK_AFTER = dt.timedelta(minutes=10)

# Untranslated: messaging.compose writes them in the patient's language.
REMINDER_SUBJECT = gettext_noop("Reminder: your appointment at %(site)s")
CONFIRMATION_SUBJECT = gettext_noop("Your appointment at %(site)s is booked")


def quiet() -> tuple[dt.time, dt.time]:
    start, end = settings.SCHEDULING_QUIET_HOURS
    return dt.time.fromisoformat(start), dt.time.fromisoformat(end)


# The booking confirmation


def send_confirmation(appointments: Iterable[Appointment]) -> None:
    """Queue the booking confirmation (with its .ics) for new appointments: one message
    per patient, listing every time booked (a series is one message)."""
    by_patient: dict[int, list[Appointment]] = {}
    for appointment in appointments:
        by_patient.setdefault(appointment.patient_id, []).append(appointment)
    for booked in by_patient.values():
        messaging.notify_patient(
            booked[0].patient,
            location=booked[0].location,
            subject=CONFIRMATION_SUBJECT,
            template="scheduling/messages/confirmation",
            context=message_context(booked),
            attachments=[("appointment.ics", appointment_ics(booked), "text/calendar")],
        )


# What the messages say


def when(appointment: Appointment, language: str = "en") -> str:
    """'Mon, Mar 9, 2026, 10:00 AM EDT' (dendrite/dates.py), in the location's time zone,
    in `language` (messages use Moment below: the patient's language)."""
    local = appointment.local_start
    with translation.override(language):
        return f"{dates.when(local, local.tzinfo)} {local:%Z}"


class Moment:
    """An appointment's time (`when`), written when shown, in the language active then:
    a message rendered in Spanish says "lun 30 nov 2026, 14:05"."""

    def __init__(self, appointment: Appointment) -> None:
        self.appointment = appointment

    def __str__(self) -> str:
        return when(self.appointment, translation.get_language() or "en")


def message_context(appointments: list[Appointment]) -> dict[str, Any]:
    location = appointments[0].location
    types = list({a.appointment_type_id: a.appointment_type for a in appointments}.values())
    return {
        "site_name": settings.DENDRITE_SITE_NAME,
        "location": location,
        "address": ", ".join(location.address_lines),
        "visits": [
            {
                "when": Moment(a),
                "type": a.appointment_type.name,
                "confirm_url": links.url(a, links.CONFIRM),
                "cancel_url": links.url(a, links.CANCEL),
            }
            for a in appointments
        ],
        # After ketamine: no driving for at least 24 hours, and someone must drive the
        # patient home (CLINICAL.md §3.3 [R69a]).
        "infusion": any(t.is_infusion for t in types),
        "preparation": [t.preparation.strip() for t in types if t.preparation.strip()],
    }


def reminder_message(reminder: Reminder) -> tuple[str, str]:
    """Subject and body of a reminder, written when it is sent."""
    subject, email_body, sms_body = messaging.compose(
        reminder.appointment.patient,
        subject=REMINDER_SUBJECT,
        template="scheduling/messages/reminder",
        context=message_context([reminder.appointment]),
    )
    return subject, email_body if reminder.channel == Channel.EMAIL else sms_body


# Sending


def queue_send(reminder_id: int, at: dt.datetime) -> None:
    enqueue_with_transaction(send_reminder, at=at, reminder_id=reminder_id)


def claimable(now: dt.datetime) -> Q:
    return queue.claimable(now)


def _claim(reminder_id: int, now: dt.datetime) -> bool:
    return queue.claim(
        Reminder.objects.all(),
        reminder_id,
        now,
        lease_seconds=settings.SCHEDULING_REMINDER_LEASE_SECONDS,
    )


def _mine(reminder: Reminder) -> QuerySet[Reminder]:
    return Reminder.objects.filter(pk=reminder.pk, status=Status.SENDING)


def _still_wanted(reminder: Reminder, now: dt.datetime) -> bool:
    appointment = reminder.appointment
    return (
        appointment.status not in RELEASED
        and appointment.starts_at > now
        and reminder.channel in messaging.channels_for(appointment.patient)
    )


@task()
def send_reminder(reminder_id: int) -> None:
    now = timezone.now()
    reminder = (
        Reminder.objects.select_related(
            "appointment__patient", "appointment__location", "appointment__appointment_type"
        )
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or reminder.status not in (Status.PENDING, Status.SENDING):
        return
    tz = reminder.appointment.location.tz
    if quiet_hours.is_quiet(now, tz, *quiet()):  # a late run (worker was down): wait
        later = quiet_hours.quiet_ends(now, tz, *quiet())
        with transaction.atomic():
            if Reminder.objects.filter(claimable(now), pk=reminder_id).update(
                status=Status.PENDING, due_at=later, claimed_until=None
            ):
                queue_send(reminder_id, later)
        return
    if not _claim(reminder_id, now):
        return
    reminder.refresh_from_db(fields=["status", "attempts", "claimed_until"])
    if not _still_wanted(reminder, now):
        _mine(reminder).update(status=Status.CANCELLED, claimed_until=None)
        return
    subject, body = reminder_message(reminder)
    try:
        messaging.deliver(
            reminder.appointment.patient,
            reminder.channel,
            subject=subject,
            body=body,
            key=reminder.idempotency_key,
        )
    except Exception as error:
        _failed(reminder, error, now)
        return
    with transaction.atomic():
        _mine(reminder).update(
            status=Status.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
        )
        record(
            "scheduling.reminder.send",
            obj=reminder,
            patient_id=reminder.appointment.patient_id,
            detail={"appointment": reminder.appointment_id, "channel": reminder.channel},
        )


def _failed(reminder: Reminder, error: Exception, now: dt.datetime) -> None:
    # Our own words or the class name only: a foreign message may hold a phone number.
    error_name, give_up = queue.describe(error)
    logger.warning("Reminder %s attempt %s failed: %s", reminder.pk, reminder.attempts, error_name)
    tz = reminder.appointment.location.tz
    later = quiet_hours.quiet_ends(now + retry_delay(reminder.attempts), tz, *quiet())
    with transaction.atomic():
        if give_up or reminder.attempts >= RETRY_LIMIT or later >= reminder.appointment.starts_at:
            _mine(reminder).update(status=Status.FAILED, claimed_until=None, last_error=error_name)
            return
        if _mine(reminder).update(
            status=Status.PENDING, due_at=later, claimed_until=None, last_error=error_name
        ):
            queue_send(reminder.pk, later)


# The sweep and the staff page (actions/reminders.py asks for another try)


def sweep(now: dt.datetime | None = None) -> int:
    """Queue again every reminder a worker should have sent by now (its task was lost,
    or its worker died holding the claim). Extra tasks are harmless: only one claims."""
    now = now or timezone.now()
    ids = list(Reminder.objects.filter(claimable(now)).values_list("pk", flat=True))
    for reminder_id in ids:
        queue_send(reminder_id, now)
    return len(ids)


def needs_attention(now: dt.datetime) -> Q:
    """Failed, retrying after an error, due long ago and not picked up, or held by a
    worker that stopped: the reminders staff should know about."""
    return Q(appointment__starts_at__gt=now) & (
        Q(status=Status.FAILED)
        | Q(status=Status.PENDING, attempts__gt=0)
        | Q(status=Status.PENDING, due_at__lt=now - STUCK_AFTER)
        | Q(status=Status.SENDING, claimed_until__lt=now)
    )
