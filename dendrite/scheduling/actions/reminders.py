"""A booking's reminders, and another try asked for by staff.

The booking actions (appointments.py) call these inside their transaction. The sending
itself, exactly once and retried, is the worker's side: reminders.py.
"""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dendrite.accounts.models import User
from dendrite.audit.log import record

from .. import messaging, quiet_hours
from ..models import Appointment, Reminder
from ..reminders import needs_attention, queue_send, quiet

Status = Reminder.Status


def schedule_reminders(appointments: Iterable[Appointment]) -> None:
    """Create the Reminder rows for new appointments and enqueue their tasks."""
    now = timezone.now()
    channels: dict[int, list[str]] = {}
    for appointment in appointments:
        patient = appointment.patient
        if patient.pk not in channels:
            channels[patient.pk] = messaging.channels_for(patient)
        for hours in settings.SCHEDULING_REMINDER_HOURS:
            promised = appointment.starts_at - dt.timedelta(hours=hours)
            due = quiet_hours.send_at(promised, appointment.location.tz, *quiet())
            if due <= now:
                continue
            for channel in channels[patient.pk]:
                reminder = Reminder.objects.create(
                    appointment=appointment, channel=channel, hours_before=hours, due_at=due
                )
                queue_send(reminder.pk, due)


def cancel_reminders(appointment: Appointment) -> None:
    """Mark the appointment's unsent reminders as not needed."""
    appointment.reminders.filter(status=Status.PENDING).update(
        status=Status.CANCELLED, claimed_until=None
    )


@transaction.atomic
def try_again(reminder: Reminder, *, by: User) -> bool:
    """Staff asked for another try now; False if it no longer needs one."""
    now = timezone.now()
    changed = Reminder.objects.filter(needs_attention(now), pk=reminder.pk).update(
        status=Status.PENDING, due_at=now, attempts=0, claimed_until=None
    )
    if changed:
        record(
            "scheduling.reminder.retry",
            user=by,
            obj=reminder,
            patient_id=reminder.appointment.patient_id,
        )
        queue_send(reminder.pk, now)
    return bool(changed)
