"""The waitlist, staff side: put a patient on it, take them off or back to waiting,
book the time offered to them. Offering a freed time is the worker's job (waitlist.py).
"""

from django.db import transaction

from dendrite.accounts.models import User
from dendrite.audit.log import record

from ..models import Appointment, WaitlistEntry, WaitlistStatus
from .appointments import Refused, book


@transaction.atomic
def add(entry: WaitlistEntry, *, by: User) -> WaitlistEntry:
    entry.added_by = by
    entry.location = entry.patient.location
    entry.save()
    record("scheduling.waitlistentry.add", user=by, obj=entry, patient_id=entry.patient_id)
    return entry


@transaction.atomic
def set_status(entry: WaitlistEntry, status: str, *, by: User) -> WaitlistEntry:
    """Remove an entry, or put an offered one back to waiting (the patient said no)."""
    entry.status = status
    if status == WaitlistStatus.WAITING:
        entry.offered_starts_at = entry.offered_at = None
    entry.save(update_fields=["status", "offered_starts_at", "offered_at"])
    detail = {"status": status}
    record(
        "scheduling.waitlistentry.change",
        user=by,
        obj=entry,
        patient_id=entry.patient_id,
        detail=detail,
    )
    return entry


@transaction.atomic
def book_offer(entry: WaitlistEntry, *, by: User) -> Appointment:
    """Book the offered time; Refused (entry untouched) if it can't be booked."""
    if entry.offered_starts_at is None:  # only an entry on offer holds a time
        raise Refused("no time is on offer to this patient any more.")
    appointment = book(
        entry.patient, entry.appointment_type, starts_at=entry.offered_starts_at, by=by
    )
    entry.status, entry.booked_as = WaitlistStatus.BOOKED, appointment
    entry.save(update_fields=["status", "booked_as"])
    record("scheduling.waitlistentry.book", user=by, obj=entry, patient_id=entry.patient_id)
    return appointment
