"""When a location can see a patient for a type of visit: the database side of slots.py.

Everything is read in a fixed number of queries, whatever the number of days, staff,
chairs or appointments: the location with its hours, closures and chairs; the staff
who may see the visit, with their working hours; their time off; and every
appointment that holds one of those resources (or the patient) in the range.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone

from dendrite.accounts.models import User
from dendrite.clinics.models import Location

from .models import Appointment, AppointmentType, TimeOff, WorkingHours
from .slots import Interval, Resources, Slot, local_interval, merged, wall_clock_starts
from .slots import free_slots as find_free
from .slots import slot_at as find_at


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def load(
    appointment_type: AppointmentType,
    first_day: dt.date,
    last_day: dt.date,
    *,
    patient: Any = None,
    staff_id: int | None = None,
    ignore: Sequence[int] = (),
) -> tuple[Location, Resources]:
    location = Location.objects.with_hours().get(pk=appointment_type.location_id)
    tz = location.tz
    days = _days(first_day, last_day)
    lo = dt.datetime.combine(first_day, dt.time(), tzinfo=tz)
    hi = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=tz)

    hours = {day: location.hours_on(day) for day in days}
    opening = merged(local_interval(day, h.opens, h.closes, tz) for day in days for h in hours[day])

    staff = User.objects.filter(
        locations=location, role=appointment_type.staff_role, is_active=True
    ).prefetch_related(
        Prefetch(
            "working_hours",
            queryset=WorkingHours.objects.filter(location=location),
            to_attr="hours_here",
        )
    )
    if staff_id is not None:
        staff = staff.filter(pk=staff_id)
    staff = staff.order_by("last_name", "first_name", "pk")
    windows: dict[int, list[Interval]] = {}
    for member in staff:
        own = member.hours_here
        windows[member.pk] = merged(
            local_interval(day, w.starts, w.ends, tz)
            for day in days
            for w in own
            if w.weekday == day.weekday() and hours[day]  # closed days stay closed
        ) if own else opening  # fmt: skip

    busy: dict[int, list[Interval]] = defaultdict(list)
    for off in TimeOff.objects.filter(staff__in=windows, starts_at__lt=hi, ends_at__gt=lo):
        busy[off.staff_id].append(Interval(off.starts_at, off.ends_at))

    chairs = [chair.pk for chair in location.chairs.all()] if appointment_type.needs_chair else []
    chair_busy: dict[int, list[Interval]] = {chair: [] for chair in chairs}
    patient_busy: list[Interval] = []
    holders = Q(staff__in=windows) | Q(chair__in=chairs)
    if patient is not None:
        holders |= Q(patient=patient)
    taken = (
        Appointment.objects.holding()
        .overlapping(lo, hi)
        .filter(holders)
        .exclude(pk__in=ignore)
        .values_list("patient_id", "staff_id", "chair_id", "starts_at", "staff_ends_at", "ends_at")
    )
    for patient_id, member, chair, starts_at, staff_ends_at, ends_at in taken:
        busy[member].append(Interval(starts_at, staff_ends_at))
        if chair in chair_busy:
            chair_busy[chair].append(Interval(starts_at, ends_at))
        if patient is not None and patient_id == patient.pk:
            patient_busy.append(Interval(starts_at, ends_at))

    resources = Resources(
        opening=opening,
        staff_windows=windows,
        staff_busy={member: merged(spans) for member, spans in busy.items()},
        chair_busy={c: merged(spans) for c, spans in chair_busy.items()} if chairs else None,
        patient_busy=merged(patient_busy),
    )
    if appointment_type.needs_chair and not chairs:
        resources.chair_busy = {}
    return location, resources


def _times(appointment_type: AppointmentType) -> tuple[dt.timedelta, dt.timedelta]:
    return (
        dt.timedelta(minutes=appointment_type.staff_minutes),
        dt.timedelta(minutes=appointment_type.visit_minutes),
    )


def free_slots(
    appointment_type: AppointmentType,
    first_day: dt.date,
    last_day: dt.date,
    *,
    patient: Any = None,
    staff_id: int | None = None,
    ignore: Sequence[int] = (),
    not_before: dt.datetime | None = None,
) -> list[Slot]:
    """Every bookable start time (with its staff member and chair), in order."""
    location, resources = load(
        appointment_type, first_day, last_day, patient=patient, staff_id=staff_id, ignore=ignore
    )
    step = dt.timedelta(minutes=settings.SCHEDULING_SLOT_MINUTES)
    earliest = not_before or timezone.now()
    starts = (
        start
        for day in _days(first_day, last_day)
        for h in location.hours_on(day)
        for start in wall_clock_starts(day, h.opens, h.closes, location.tz, step)
        if start >= earliest
    )
    return find_free(resources, starts, *_times(appointment_type))


def slots_at(
    appointment_type: AppointmentType,
    starts: Iterable[dt.datetime],
    *,
    patient: Any = None,
    staff_id: int | None = None,
    ignore: Sequence[int] = (),
) -> list[Slot | str]:
    """For each start, its slot or the reason it cannot be booked — loaded once."""
    starts = list(starts)
    tz = appointment_type.location.tz
    first = min(starts).astimezone(tz).date()
    last = max(starts).astimezone(tz).date() + dt.timedelta(days=1)
    _, resources = load(
        appointment_type, first, last, patient=patient, staff_id=staff_id, ignore=ignore
    )
    return [find_at(resources, start, *_times(appointment_type)) for start in starts]


def slot_at(
    appointment_type: AppointmentType,
    start: dt.datetime,
    *,
    patient: Any = None,
    staff_id: int | None = None,
    ignore: Sequence[int] = (),
) -> Slot | str:
    return slots_at(appointment_type, [start], patient=patient, staff_id=staff_id, ignore=ignore)[0]
