"""Booking, rebooking and the life of an appointment. Each action runs in one
transaction, writes its audit entry and queues its messages with the data.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from dendrite.accounts.models import CLINICAL_ROLES, User
from dendrite.audit.log import record
from dendrite.patients.models import Consent, Patient

from .. import availability, chairside, gate, series_plan, waitlist
from ..access import PATIENT_LINK
from ..models import (
    Appointment,
    AppointmentType,
    DayRules,
    OnlineBooking,
    Series,
    SeriesProtocol,
    Status,
)
from ..reminders import send_confirmation
from ..slots import Slot
from . import reminders

TAKEN = (
    "Someone else booked that time a moment ago, so nothing was booked. "
    "Please look at the free times again and choose another."
)


class Refused(Exception):
    """The booking or change cannot be done as asked; the message says why, for staff."""


class Taken(Refused):
    """The time is not free (any more): someone else holds the staff member, the chair
    or the patient then, or it is outside the hours. Choosing another time may work."""


@dataclass(frozen=True)
class Online:
    """The patient booking for themselves (the patient portal): no staff member books,
    the appointment is marked booked online, and the audit trail names `audit_name`."""

    audit_name: str


# Who books: a staff member, or the patient online.
Booker = User | Online


# Which status may follow which (anything not listed is refused).
# A visit in a chair goes on to "In chair"; one without, to "In consultation".
NEXT = {
    Status.BOOKED: {Status.CONFIRMED, Status.CHECKED_IN, Status.NO_SHOW, Status.CANCELLED},
    Status.CONFIRMED: {Status.CHECKED_IN, Status.NO_SHOW, Status.CANCELLED},
    Status.CHECKED_IN: {Status.IN_CONSULTATION, Status.IN_CHAIR, Status.DONE, Status.LEFT},
    Status.IN_CONSULTATION: {Status.DONE},
    Status.IN_CHAIR: {Status.RECOVERING},
    Status.RECOVERING: {Status.DONE},
    Status.DONE: set(),
    Status.LEFT: set(),
    Status.NO_SHOW: set(),
    Status.CANCELLED: set(),
}


# Steps at the chairside are recorded by nurses and prescribers, not the front desk.
CLINICAL_STEPS = frozenset({Status.IN_CHAIR, Status.RECOVERING})


def fits_visit(appointment: Appointment, status: str) -> bool:
    """A chair step only for a visit with a chair; a consultation step only without."""
    if status == Status.IN_CHAIR:
        return appointment.chair_id is not None
    if status == Status.IN_CONSULTATION:
        return appointment.chair_id is None
    return True


def check_in_refusal(appointment: Appointment, rules: DayRules | None = None) -> str | None:
    """Why the patient cannot be checked in now (outside the location's window), or None."""
    rules = rules or DayRules.for_location(appointment.location_id)
    opens, closes = rules.check_in_window(appointment.starts_at)
    now = timezone.now()
    if now < opens:
        return f"Check-in opens at {local_time(opens, appointment)}."
    if now > closes:
        return (
            f"Check-in closed at {local_time(closes, appointment)}. If the patient is here, "
            "please move the appointment to another time."
        )
    return None


def local_time(moment: dt.datetime, appointment: Appointment) -> str:
    """'9:00 AM on Monday, December 7' in the location's time zone."""
    local = moment.astimezone(appointment.location.tz)
    hour = local.strftime("%I:%M %p").lstrip("0")
    return f"{hour} on {local:%A, %B} {local.day}"


def may_record(user: User, status: str) -> bool:
    return status not in CLINICAL_STEPS or getattr(user, "role", None) in CLINICAL_ROLES


def has_treatment_consent(patient: Patient) -> bool:
    return bool(patient.consented_to(Consent.Kind.TREATMENT))


class NotCleared(Refused):
    """The patient does not (yet) meet the conditions for ketamine (gate.py)."""

    def __init__(self, conditions: list[gate.Condition], by: User | None) -> None:
        super().__init__(gate.refusal(conditions, by))
        self.conditions = conditions


def check_cleared(patient: Patient, *, by: User | None, lock: bool) -> None:
    """NotCleared unless the patient meets every condition for ketamine (gate.py)."""
    unmet = gate.unmet(patient, lock=lock)
    if unmet:
        raise NotCleared(unmet, by)


def check_bookable(
    patient: Patient,
    appointment_type: AppointmentType,
    *,
    by: User | None = None,
    lock: bool = False,
) -> None:
    """Refuse what cannot be booked for this patient, whatever the time. The booking
    actions pass `lock` so that the patient's row is held until they commit."""
    if not appointment_type.is_active:
        raise Refused(f"{appointment_type.name} is not offered at this location at the moment.")
    if gate.gives_ketamine(appointment_type):
        check_cleared(patient, by=by, lock=lock)
    elif appointment_type.needs_treatment_consent and not has_treatment_consent(patient):
        raise Refused(
            f"This patient has no signed treatment consent on file, so a "
            f"{appointment_type.name.lower()} cannot be booked yet. Record the consent on "
            "the chart first."
        )


def _insert(appointments: Sequence[Appointment]) -> None:
    """Write new appointments; the database refuses any double booking (overlaps.py)."""
    try:
        with transaction.atomic():
            for appointment in appointments:
                appointment.save()
    except IntegrityError as clash:
        raise Taken(TAKEN) from clash


def _new(
    patient: Patient, appointment_type: AppointmentType, slot: Slot, by: Booker
) -> Appointment:
    return Appointment(
        patient=patient,
        location=appointment_type.location,
        appointment_type=appointment_type,
        staff_id=slot.staff_id,
        chair_id=slot.chair_id,
        starts_at=slot.start,
        staff_ends_at=slot.start + dt.timedelta(minutes=appointment_type.staff_minutes),
        ends_at=slot.start + dt.timedelta(minutes=appointment_type.visit_minutes),
        booked_by=None if isinstance(by, Online) else by,
        booked_online=isinstance(by, Online),
    )


def _after_booking(appointments: list[Appointment], by: Booker, label: str) -> None:
    who: dict[str, Any] = {"username": by.audit_name} if isinstance(by, Online) else {"user": by}
    for appointment in appointments:
        detail = {"type": appointment.appointment_type.kind, "series": appointment.series_id}
        if isinstance(by, Online):
            detail["online"] = True
        record(label, obj=appointment, patient_id=appointment.patient_id, detail=detail, **who)
    reminders.schedule_reminders(appointments)
    send_confirmation(appointments)


def _free_slot_at(
    patient: Patient,
    appointment_type: AppointmentType,
    start: dt.datetime,
    *,
    staff_id: int | None = None,
    ignore: Sequence[int] = (),
) -> Slot:
    """The resources free at `start`, or a clear refusal saying which rule stops it."""
    if start < timezone.now():
        raise Refused("That time has already passed. Please choose a time in the future.")
    found = availability.slot_at(
        appointment_type, start, patient=patient, staff_id=staff_id, ignore=ignore
    )
    if isinstance(found, str):
        raise Taken(found)
    return found


def check_online(appointment_type: AppointmentType, starts_at: dt.datetime) -> None:
    """Refuse what the location does not let patients book for themselves: a kind it
    has not opened to online booking, or a time sooner than its notice."""
    rules = OnlineBooking.for_location(appointment_type.location_id)
    if not rules.allows(appointment_type.kind):
        raise Refused(f"{appointment_type.name} cannot be booked online at this location.")
    if starts_at < timezone.now() + dt.timedelta(hours=rules.notice_hours):
        raise Taken(f"Online bookings need {rules.notice_hours} hours' notice.")


@transaction.atomic
def book(
    patient: Patient,
    appointment_type: AppointmentType,
    *,
    starts_at: dt.datetime,
    by: Booker,
    staff_id: int | None = None,
) -> Appointment:
    """One appointment at `starts_at`, with a free staff member (the one asked for, if
    any) and, for infusions, a free chair. Booked by a staff member, or by the patient
    online (`Online`): then only what the location opened to online booking, and the
    gate speaks to nobody in particular (the portal shows its own words)."""
    if isinstance(by, Online):
        check_online(appointment_type, starts_at)
    check_bookable(patient, appointment_type, by=None if isinstance(by, Online) else by, lock=True)
    slot = _free_slot_at(patient, appointment_type, starts_at, staff_id=staff_id)
    appointment = _new(patient, appointment_type, slot, by)
    _insert([appointment])
    _after_booking([appointment], by, "scheduling.appointment.book")
    return appointment


def preview_series(
    patient: Patient,
    protocol: SeriesProtocol,
    *,
    first_day: dt.date,
    preferred_time: dt.time | None = None,
    by: User | None = None,
) -> list[Slot]:
    """The earliest series that fits the protocol from `first_day`, nothing booked."""
    check_bookable(patient, protocol.appointment_type, by=by)
    today = timezone.now().astimezone(protocol.location.tz).date()
    if first_day < today:
        raise Refused("The first infusion cannot be in the past. Please choose a later day.")
    last_day = first_day + dt.timedelta(days=settings.SCHEDULING_SERIES_SEARCH_DAYS)
    slots = availability.free_slots(protocol.appointment_type, first_day, last_day, patient=patient)
    plan = series_plan.plan(
        slots,
        count=protocol.infusions,
        min_gap=dt.timedelta(hours=protocol.min_gap_hours),
        span=dt.timedelta(days=protocol.span_days),
        tz=protocol.location.tz,
        preferred_time=preferred_time,
        visit=dt.timedelta(minutes=protocol.appointment_type.visit_minutes),
    )
    if plan is None:
        raise Refused(
            f"No {protocol.infusions} free times at least {protocol.min_gap_hours} hours apart "
            f"fit within {protocol.span_days} days in the coming weeks. Try another first "
            "day, another location, or fewer constraints on the time of day."
        )
    return plan


@transaction.atomic
def book_series(
    patient: Patient, protocol: SeriesProtocol, *, starts: Sequence[dt.datetime], by: User
) -> Series:
    """The previewed series, all or nothing: every time is checked again now."""
    appointment_type = protocol.appointment_type
    check_bookable(patient, appointment_type, by=by, lock=True)
    problem = series_plan.check(
        starts,
        count=protocol.infusions,
        min_gap=dt.timedelta(hours=protocol.min_gap_hours),
        span=dt.timedelta(days=protocol.span_days),
        visit=dt.timedelta(minutes=appointment_type.visit_minutes),
    )
    if problem:
        raise Refused(problem)
    starts = sorted(starts)
    if starts[0] < timezone.now():
        raise Refused("The first infusion's time has already passed. Please plan again.")
    slots = []
    for found in availability.slots_at(appointment_type, starts, patient=patient):
        if isinstance(found, str):
            raise Refused(f"{found} Please plan the series again.")
        slots.append(found)
    series = Series.objects.create(
        patient=patient,
        location=protocol.location,
        protocol=protocol,
        name=protocol.name,
        infusions=protocol.infusions,
        min_gap_hours=protocol.min_gap_hours,
        span_days=protocol.span_days,
        booked_by=by,
    )
    appointments = [_new(patient, appointment_type, slot, by) for slot in slots]
    for number, appointment in enumerate(appointments, start=1):
        appointment.series, appointment.series_number = series, number
    _insert(appointments)
    record("scheduling.series.book", user=by, obj=series, patient_id=patient.pk)
    _after_booking(appointments, by, "scheduling.appointment.book")
    return series


def rebook_window(missed: Appointment) -> tuple[dt.datetime, dt.datetime]:
    """When a missed infusion of a series may be rebooked: at least the protocol's gap
    after the infusion before it and before the one after it, keeping the whole series
    within its span, and not in the past."""
    series = missed.series
    if series is None:
        raise Refused("Only an infusion of a series is rebooked this way; book a new one.")
    gap = dt.timedelta(hours=series.min_gap_hours)
    span = dt.timedelta(days=series.span_days)
    others = sorted(
        a.starts_at for a in series.appointments.holding().exclude(pk=missed.pk).only("starts_at")
    )
    before = [start for start in others if start < missed.starts_at]
    after = [start for start in others if start > missed.starts_at]
    lo = max(timezone.now(), before[-1] + gap if before else timezone.now())
    hi = after[0] - gap if after else dt.datetime.max.replace(tzinfo=dt.UTC)
    if others:
        lo, hi = max(lo, others[-1] - span), min(hi, others[0] + span)
    return lo, hi


def _check_missed(missed: Appointment) -> None:
    if missed.status not in (Status.NO_SHOW, Status.CANCELLED):
        raise Refused("Only a missed or cancelled infusion can be rebooked.")
    if Appointment.objects.filter(rebooks=missed).exists():
        raise Refused("This infusion has already been rebooked.")


def rebook_slots(missed: Appointment, *, limit: int = 40) -> list[Slot]:
    """Free times for a missed infusion within its series' window (may be empty)."""
    _check_missed(missed)
    lo, hi = rebook_window(missed)
    tz = missed.location.tz
    if hi < lo:
        return []
    last_day = min(hi, lo + dt.timedelta(days=settings.SCHEDULING_SERIES_SEARCH_DAYS))
    slots = availability.free_slots(
        missed.appointment_type,
        lo.astimezone(tz).date(),
        last_day.astimezone(tz).date(),
        patient=missed.patient,
        not_before=lo,
    )
    return [slot for slot in slots if slot.start <= hi][:limit]


@transaction.atomic
def rebook(missed: Appointment, *, starts_at: dt.datetime, by: User) -> Appointment:
    """A new appointment for a missed (no-show or cancelled) infusion of a series."""
    _check_missed(missed)
    check_bookable(missed.patient, missed.appointment_type, by=by, lock=True)
    lo, hi = rebook_window(missed)
    if not lo <= starts_at <= hi:
        raise Refused(
            "That time is outside the series' window: it has to keep the protocol's gap "
            "from the other infusions and the whole series within its span."
        )
    slot = _free_slot_at(missed.patient, missed.appointment_type, starts_at)
    appointment = _new(missed.patient, missed.appointment_type, slot, by)
    appointment.series, appointment.series_number = missed.series, missed.series_number
    appointment.rebooks = missed
    _insert([appointment])
    _after_booking([appointment], by, "scheduling.appointment.rebook")
    return appointment


MOVABLE = (Status.BOOKED, Status.CONFIRMED)
MOVED = "Moved to another time"


def move_window(appointment: Appointment) -> tuple[dt.datetime, dt.datetime]:
    """When an appointment may move to: any future time, or for an infusion of a series,
    the window its protocol leaves between the other infusions."""
    if appointment.series_id:
        return rebook_window(appointment)
    return timezone.now(), dt.datetime.max.replace(tzinfo=dt.UTC)


def move_slots(appointment: Appointment, first_day: dt.date, last_day: dt.date) -> list[Slot]:
    """Free times the appointment could move to between two local days (its own time
    counts as free)."""
    if appointment.status not in MOVABLE:
        raise Refused("Only a booked or confirmed appointment can be moved.")
    lo, hi = move_window(appointment)
    slots = availability.free_slots(
        appointment.appointment_type, first_day, last_day,
        patient=appointment.patient, ignore=[appointment.pk], not_before=lo,
    )  # fmt: skip
    return [slot for slot in slots if slot.start <= hi and slot.start != appointment.starts_at]


@transaction.atomic
def move(
    appointment: Appointment, *, starts_at: dt.datetime, by: User, version: int | None = None
) -> Appointment:
    """Move to another time: the old appointment is cancelled as moved (not a late
    cancel; its time goes to the waitlist) and a new one replaces it, in the same place
    of its series, with new reminders and a new confirmation."""
    _locked(appointment, version)
    if appointment.status not in MOVABLE:
        raise Refused("Only a booked or confirmed appointment can be moved.")
    # A new time in the chair is a new booking: the gate holds as for any other.
    if gate.gives_ketamine(appointment.appointment_type):
        check_cleared(appointment.patient, by=by, lock=True)
    lo, hi = move_window(appointment)
    if appointment.series_id and not lo <= starts_at <= hi:
        raise Refused(
            "That time is outside the series' window: it has to keep the protocol's gap "
            "from the other infusions and the whole series within its span."
        )
    slot = _free_slot_at(
        appointment.patient, appointment.appointment_type, starts_at, ignore=[appointment.pk]
    )
    _move(appointment, Status.CANCELLED, cancel_reason=MOVED, late_cancel=False)
    moved = _new(appointment.patient, appointment.appointment_type, slot, by)
    moved.series, moved.series_number = appointment.series, appointment.series_number
    moved.rebooks = appointment
    _insert([moved])
    record(
        "scheduling.appointment.move", user=by, obj=appointment,
        patient_id=appointment.patient_id, detail={"to": moved.pk},
    )  # fmt: skip
    _after_booking([moved], by, "scheduling.appointment.book")
    return moved


def _locked(appointment: Appointment, version: int | None) -> Appointment:
    stored = Appointment.objects.select_for_update().values_list("version", "status")
    current_version, current_status = stored.get(pk=appointment.pk)
    if version is not None and version != current_version:
        raise Refused(
            "A colleague changed this appointment while you were looking at it, so nothing "
            "was changed. Here it is as it is now: please check and try again."
        )
    appointment.version, appointment.status = current_version, current_status
    return appointment


def _move(appointment: Appointment, status: str, **fields: Any) -> Appointment:
    appointment.status = status
    appointment.status_changed_at = timezone.now()
    appointment.version += 1
    for name, value in fields.items():
        setattr(appointment, name, value)
    appointment.save(update_fields=["status", "status_changed_at", "version", *fields])
    if status in (Status.CANCELLED, Status.NO_SHOW):
        reminders.cancel_reminders(appointment)
        waitlist.slot_freed(appointment)
    return appointment


def _refuse_unless_next(appointment: Appointment, status: str) -> None:
    if status not in NEXT[Status(appointment.status)]:
        raise Refused(
            f"This appointment is {appointment.get_status_display().lower()}, so it cannot "
            f"be marked {Status(status).label.lower()}."
        )


@transaction.atomic
def change_status(
    appointment: Appointment, status: str, *, by: User, version: int | None = None
) -> Appointment:
    """Move an appointment along its day (confirm, check in, in chair, recovering, done,
    no-show). Cancelling has its own action, with a reason."""
    if status == Status.CANCELLED:
        raise Refused("Please cancel with a reason.")
    if not may_record(by, status):
        raise Refused("Only a nurse or a prescriber records a patient in the chair or recovering.")
    _locked(appointment, version)
    _refuse_unless_next(appointment, status)
    if status == Status.IN_CHAIR and appointment.chair_id is None:
        raise Refused("This visit has no chair.")
    if status == Status.IN_CONSULTATION and appointment.chair_id is not None:
        raise Refused("This visit is in a chair.")
    if status == Status.NO_SHOW and timezone.now() < appointment.starts_at:
        raise Refused("A patient can only be marked as a no-show once the start time has passed.")
    if status == Status.CHECKED_IN and (refusal := check_in_refusal(appointment)):
        raise Refused(refusal)
    if refusal := chairside.refusal(appointment, status):
        raise Refused(refusal)
    before = appointment.status
    _move(appointment, status, previous_status=before)
    detail = {"from": before, "to": status}
    record(
        "scheduling.appointment.status", user=by, obj=appointment,
        patient_id=appointment.patient_id, detail=detail,
    )  # fmt: skip
    return appointment


def may_undo(appointment: Appointment, rules: DayRules | None = None) -> bool:
    """Whether the last step of the day may still be undone from the schedule (not a
    step the chairside record made)."""
    rules = rules or DayRules.for_location(appointment.location_id)
    until = rules.undo_until(appointment)
    return (
        until is not None
        and timezone.now() <= until
        and not chairside.owns(appointment, appointment.status)
    )


@transaction.atomic
def undo_status(appointment: Appointment, *, by: User, version: int | None = None) -> Appointment:
    """Put the appointment back to the status before its last step, within the
    location's undo time; audited as an undo."""
    _locked(appointment, version)
    stored = Appointment.objects.values_list("previous_status", "status_changed_at")
    appointment.previous_status, appointment.status_changed_at = stored.get(pk=appointment.pk)
    if not may_undo(appointment):
        raise Refused("The last step can no longer be undone from the schedule.")
    before, back_to = appointment.status, appointment.previous_status
    try:
        with transaction.atomic():
            _move(appointment, back_to, previous_status="")
    except IntegrityError as clash:
        raise Refused(TAKEN) from clash
    record(
        "scheduling.appointment.undo", user=by, obj=appointment,
        patient_id=appointment.patient_id, detail={"from": before, "to": back_to},
    )  # fmt: skip
    return appointment


def is_late(appointment: Appointment) -> bool:
    window = dt.timedelta(hours=settings.SCHEDULING_LATE_CANCEL_HOURS)
    return appointment.starts_at - timezone.now() < window


def _cancel(appointment: Appointment, reason: str) -> Appointment:
    reason = reason.strip()
    if not reason:
        raise Refused("Please give a reason for the cancellation.")
    _refuse_unless_next(appointment, Status.CANCELLED)
    return _move(
        appointment, Status.CANCELLED, cancel_reason=reason[:200], late_cancel=is_late(appointment)
    )


@transaction.atomic
def cancel(
    appointment: Appointment, *, by: User, reason: str, version: int | None = None
) -> Appointment:
    """Cancel with a reason; within the late-cancel window it counts as a late cancel.
    The freed time is offered to the waitlist."""
    _locked(appointment, version)
    _cancel(appointment, reason)
    detail = {"late": appointment.late_cancel, "by_patient": False}
    record(
        "scheduling.appointment.cancel", user=by, obj=appointment,
        patient_id=appointment.patient_id, detail=detail,
    )  # fmt: skip
    return appointment


@transaction.atomic
def confirm_by_patient(appointment: Appointment) -> Appointment:
    """The patient confirmed through their signed reminder link (twice is fine)."""
    _locked(appointment, None)
    if appointment.status == Status.CONFIRMED:
        return appointment
    if appointment.status != Status.BOOKED or appointment.starts_at < timezone.now():
        raise Refused(gettext("This appointment can no longer be confirmed online."))
    _move(appointment, Status.CONFIRMED)
    record(
        "scheduling.appointment.confirm", username=PATIENT_LINK, obj=appointment,
        patient_id=appointment.patient_id,
    )  # fmt: skip
    return appointment


@transaction.atomic
def cancel_by_patient(appointment: Appointment, *, reason: str) -> Appointment:
    """The patient cancelled through their signed reminder link."""
    _locked(appointment, None)
    if appointment.status not in (Status.BOOKED, Status.CONFIRMED):
        raise Refused(gettext("This appointment can no longer be cancelled online."))
    if appointment.starts_at < timezone.now():
        raise Refused(
            gettext("This appointment has already started, so it cannot be cancelled online.")
        )
    _cancel(appointment, reason)
    detail = {"late": appointment.late_cancel, "by_patient": True}
    record(
        "scheduling.appointment.cancel", username=PATIENT_LINK, obj=appointment,
        patient_id=appointment.patient_id, detail=detail,
    )  # fmt: skip
    return appointment
