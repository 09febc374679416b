"""The waitlist: patients who would take an earlier time, offered one when it frees up.

A cancellation or no-show calls `slot_freed` in its own transaction; the offer is made
by a task, so the person cancelling never waits for it. The first patient waiting
(oldest first) whose window holds the freed day and who is free then is offered it:
staff see the offer on the waitlist and the patient gets a message to call in.

This is the worker's side, as reminders.py is for reminders, and not an action: nobody
acts (no `by=`); the task records the offer it made. What staff do (add, remove, book
the offer, which goes through actions.book and so checks everything again) is in
actions/waitlist.py; who may see the list, in access.py.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_noop

from dendrite.audit.log import record
from dendrite.queue import enqueue_with_transaction

from . import gate, messaging
from .models import Appointment, WaitlistEntry, WaitlistStatus

# No patient data here: subjects show on lock screens and in shared inboxes.
OFFER_SUBJECT = gettext_noop("An earlier appointment time is free")


def slot_freed(appointment: Appointment) -> None:
    """Called in the transaction that cancels or no-shows an appointment."""
    if appointment.starts_at > timezone.now():
        enqueue_with_transaction(offer_freed_slot, appointment_id=appointment.pk)


def _still_free(appointment: Appointment) -> bool:
    others = Appointment.objects.holding().overlapping(appointment.starts_at, appointment.ends_at)
    taken = others.filter(staff_id=appointment.staff_id)
    if appointment.chair_id:
        taken = taken | others.filter(chair_id=appointment.chair_id)
    return not taken.exists()


# How many waiting patients are looked at for one freed time; beyond them it waits.
CANDIDATES = 20


def first_in_line(appointment: Appointment) -> WaitlistEntry | None:
    """The oldest waiting entry that the freed appointment would suit; for a visit that
    gives ketamine, only a patient who may be booked for it now (gate.py), so nobody is
    offered a time we could not book for them."""
    day = appointment.local_start.date()
    busy = Appointment.objects.holding().overlapping(appointment.starts_at, appointment.ends_at)
    candidates = (
        WaitlistEntry.objects.filter(
            status=WaitlistStatus.WAITING,
            location_id=appointment.location_id,
            appointment_type_id=appointment.appointment_type_id,
            earliest__lte=day,
            latest__gte=day,
        )
        .exclude(patient_id=appointment.patient_id)
        .exclude(Exists(busy.filter(patient_id=OuterRef("patient_id"))))
        .select_related("patient", "location")
        .order_by("created_at", "id")
    )
    if not gate.gives_ketamine(appointment.appointment_type):
        return candidates.first()
    entries = list(candidates[:CANDIDATES])
    unmet = gate.unmet_for(entry.patient_id for entry in entries)
    return next((entry for entry in entries if not unmet.get(entry.patient_id)), None)


@task()
def offer_freed_slot(appointment_id: int) -> int | None:
    """Offer a freed time to the first patient in line; the entry's id, or None.

    Safe to run twice: a time already offered is not offered again."""
    with transaction.atomic():
        appointment = Appointment.objects.select_related("location", "appointment_type").get(
            pk=appointment_id
        )
        already = WaitlistEntry.objects.filter(
            location_id=appointment.location_id,
            appointment_type_id=appointment.appointment_type_id,
            offered_starts_at=appointment.starts_at,
        ).exists()
        if (
            appointment.is_holding
            or appointment.starts_at <= timezone.now()
            or already
            or not _still_free(appointment)
        ):
            return None
        entry = first_in_line(appointment)
        if entry is None:
            return None
        entry.status = WaitlistStatus.OFFERED
        entry.offered_starts_at, entry.offered_at = appointment.starts_at, timezone.now()
        entry.save(update_fields=["status", "offered_starts_at", "offered_at"])
        context = {"entry": entry, "location": entry.location, "when": appointment.local_start}
        channels = messaging.notify_patient(
            entry.patient,
            location=entry.location,
            subject=OFFER_SUBJECT,
            template="scheduling/messages/waitlist_offer",
            context=context,
        )
        # No channel means the patient was not told: staff see the offer and call.
        detail = {"freed_appointment": appointment.pk, "channels": channels}
        record(
            "scheduling.waitlistentry.offer", obj=entry, patient_id=entry.patient_id, detail=detail
        )
    return entry.pk


def not_cleared(entries: list[WaitlistEntry]) -> dict[int, list[gate.Condition]]:
    """Offers of a ketamine visit whose patient may not be booked for it now: entry id →
    the unmet conditions (gate.py), for the whole page in one query."""
    offered = [
        entry for entry in entries
        if entry.status == WaitlistStatus.OFFERED and gate.gives_ketamine(entry.appointment_type)
    ]  # fmt: skip
    if not offered:
        return {}
    unmet = gate.unmet_for(entry.patient_id for entry in offered)
    return {entry.pk: unmet[entry.patient_id] for entry in offered if unmet[entry.patient_id]}
