"""Placeholder: the reminders helper replaces this module (see the task brief)."""

from collections.abc import Iterable

from .models import Appointment


def schedule_reminders(appointments: Iterable[Appointment]) -> None:
    """Create the Reminder rows for new appointments and enqueue their tasks."""


def send_confirmation(appointments: Iterable[Appointment]) -> None:
    """Queue the booking confirmation (with its .ics) for new appointments."""


def cancel_reminders(appointment: Appointment) -> None:
    """Mark the appointment's unsent reminders as not needed."""
