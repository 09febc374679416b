"""iCalendar (RFC 5545) for appointments: the patient's own .ics and the staff feeds.

Times are written in the location's time zone (TZID plus a VTIMEZONE built from the
tz database), so a calendar app shows 9:00 on the day the clocks change, not 8:00.
Nothing here reads the database: callers pass appointments with their patient,
location and type already loaded.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from .models import Appointment

PRODID = "-//Dendrite//Scheduling//EN"
# How often a subscribed calendar app should fetch a feed again.
REFRESH = dt.timedelta(hours=1)


def uid(appointment: Appointment) -> str:
    """The same UID in every file, so calendar apps update an event instead of adding one."""
    return f"appointment-{appointment.pk}@dendrite"


def initials(appointment: Appointment) -> str:
    patient = appointment.patient
    return f"{patient.first_name[:1]}.{patient.last_name[:1]}.".upper()


def _event(appointment: Appointment, summary: str, end: dt.datetime, stamp: dt.datetime) -> Event:
    tz = appointment.location.tz
    event = Event.new(
        uid=uid(appointment),
        summary=summary,
        start=appointment.starts_at.astimezone(tz),
        end=end.astimezone(tz),
        stamp=stamp,
        # The version counts every change, so a moved or cancelled event replaces the old one.
        sequence=appointment.version,
        status="CONFIRMED" if appointment.is_holding else "CANCELLED",
    )
    if appointment.updated_at:
        event.add("last-modified", appointment.updated_at)
    return event


def _finish(calendar: Calendar, zones: Iterable[ZoneInfo], starts: Sequence[dt.datetime]) -> bytes:
    """Add a VTIMEZONE for every zone used (and the default one, so that even an empty
    feed holds the one component RFC 5545 asks of a calendar), covering the events."""
    years = [start.year for start in starts] or [timezone.now().year]
    first, last = dt.date(min(years) - 1, 1, 1), dt.date(max(years) + 2, 1, 1)
    calendar.add_missing_timezones(first_date=first, last_date=last)
    used = set(calendar.get_used_tzids()) | {tz.tz_name for tz in calendar.timezones}
    for zone in zones:
        if zone.key not in used:
            calendar.add_component(Timezone.from_tzinfo(zone, first_date=first, last_date=last))
    return calendar.to_ical()


def appointment_ics(appointments: list[Appointment]) -> bytes:
    """The patient's own copy of their appointments, attached to a confirmation.

    It names the visit type and the place, and gives the address and phone number:
    no staff names, nothing clinical."""
    calendar = Calendar.new(prodid=PRODID, method="PUBLISH")
    stamp = timezone.now()
    for appointment in appointments:
        location = appointment.location
        event = _event(
            appointment,
            f"{appointment.appointment_type.name} at {location.name}",
            appointment.ends_at,
            stamp,
        )
        event.add("location", ", ".join(location.address_lines))
        event.add("description", f"To change or cancel, call {location.name} at {location.phone}.")
        if location.email:
            event.add("organizer", f"mailto:{location.email}", parameters={"CN": location.name})
        calendar.add_component(event)
    zones = {appointment.location.tz for appointment in appointments}
    return _finish(calendar, zones, [a.starts_at for a in appointments])


def feed_ics(
    appointments: Sequence[Appointment],
    *,
    name: str,
    show_patient: bool,
    staff_time: bool = False,
    tz: ZoneInfo | None = None,
) -> bytes:
    """A subscription feed for staff: visit type and, if the reader may see the schedule,
    the patient's initials ("Infusion — A.B."). Never a full name, a note or a diagnosis.

    `staff_time` ends each event when the staff member's part ends (a staff member's own
    feed); otherwise events last the whole visit, recovery included (chairs, locations).
    `tz` is the feed's own zone, written even when there are no events."""
    calendar = Calendar.new(prodid=PRODID, name=name, refresh_interval=REFRESH)
    calendar.add("x-published-ttl", REFRESH)
    stamp = timezone.now()
    for appointment in appointments:
        summary = appointment.appointment_type.name
        if show_patient:
            summary = f"{summary} — {initials(appointment)}"
        end = appointment.staff_ends_at if staff_time else appointment.ends_at
        event = _event(appointment, summary, end, stamp)
        place = appointment.location.name
        event.add("location", f"{place}, {appointment.chair.name}" if appointment.chair else place)
        # Calendar apps show a private event as "busy" to anyone the calendar is shared with.
        event.add("class", "PRIVATE")
        calendar.add_component(event)
    zones = {tz} if tz else set()
    return _finish(calendar, zones, [a.starts_at for a in appointments])
