"""Placeholder: the waitlist helper replaces this module (see the task brief)."""

from .models import Appointment


def slot_freed(appointment: Appointment) -> None:
    """Called in the transaction that cancels or no-shows an appointment."""
