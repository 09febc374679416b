"""The day view's page, built in plain Python before the template: one row per quarter
hour of the location's local day, one column per chair, each appointment spanning its
rows; visits without a chair listed by staff member; cancelled ones and no-shows apart.

Everything is in the location's wall-clock time, so a daylight-saving day has the rows
its clock shows (a spring-forward day skips 2:00–2:59).
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from dendrite.accounts.models import User
from dendrite.clinics.models import Chair, Location

from . import chairside, messaging
from .actions import NEXT, check_in_refusal, fits_visit, may_record, may_undo
from .models import RELEASED, Appointment, DayRules, Status
from .slots import exists_locally

ROW_MINUTES = 15

# What the button for each next status says (cancelling has its own form, with a reason).
ACTION_LABELS = {
    Status.CONFIRMED: "Confirm",
    Status.CHECKED_IN: "Check in",
    Status.IN_CONSULTATION: "In consultation",
    Status.IN_CHAIR: "In chair",
    Status.RECOVERING: "Recovering",
    Status.DONE: "Done",
    Status.LEFT: "Left without being seen",
    Status.NO_SHOW: "No-show",
}


@dataclass
class Cell:
    """One chair at one row: the appointment that starts there (spanning `rows`), or
    nothing. Rows an appointment spans below its start have no cell at all."""

    appointment: Appointment | None = None
    rows: int = 1


@dataclass
class Row:
    time: dt.datetime  # aware, in the location's time zone
    cells: list[Cell | None]


@dataclass
class DaySchedule:
    location: Location
    day: dt.date
    chairs: list[Chair]
    rows: list[Row]
    is_open: bool
    # Visits without a chair, grouped by who sees the patient: [(staff, appointments)].
    by_staff: list[tuple[Any, list[Appointment]]]
    # Every appointment that still holds its time, in order (the narrow-screen list).
    timeline: list[Appointment]
    released: list[Appointment]
    # Chair appointments the grid cannot show (a retired chair, an overlap): listed apart.
    off_grid: list[Appointment] = field(default_factory=list)
    shown: list[Appointment] = field(default_factory=list)


def day_bounds(location: Location, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight to local midnight (23 or 25 hours on a daylight-saving day)."""
    tz = location.tz
    start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def next_status_actions(
    appointment: Appointment, user: Any = None, rules: DayRules | None = None
) -> list[tuple[str, str]]:
    """(status, button label) for each status this appointment may move to next now
    (and, given a user, that they may record). Check-in only within the location's
    window; the steps an infusion's chairside record makes are not buttons here."""
    allowed = {s for s in NEXT.get(Status(appointment.status), set()) if fits_visit(appointment, s)}
    if user is not None:
        allowed = {status for status in allowed if may_record(user, status)}
    if appointment.starts_at > timezone.now():
        allowed.discard(Status.NO_SHOW)  # not a no-show before the time has come
    if Status.CHECKED_IN in allowed and check_in_refusal(appointment, rules):
        allowed.discard(Status.CHECKED_IN)
    allowed = {status for status in allowed if not chairside.refusal(appointment, status)}
    return [(status, label) for status, label in ACTION_LABELS.items() if status in allowed]


def chairside_step(appointment: Appointment, user: Any) -> str | None:
    """The chairside page, where a clinician takes a checked-in infusion on (instead of
    an "In chair" button that would skip the checks), or None."""
    if appointment.status != Status.CHECKED_IN or not getattr(user, "is_clinical", False):
        return None
    return chairside.url(appointment) if chairside.owns(appointment, Status.IN_CHAIR) else None


def undo_label(appointment: Appointment, rules: DayRules | None = None) -> str | None:
    """'Undo “Checked in”' while the last step may be undone, else None."""
    if not may_undo(appointment, rules):
        return None
    return f"Undo “{Status(appointment.status).label}”"


def unreachable_next_day(
    location: Location, day: dt.date, appointments: QuerySet[Appointment]
) -> list[Appointment]:
    """The next day's appointments whose patient has no channel for the reminders (in two
    queries, however many there are)."""
    start, end = day_bounds(location, day + dt.timedelta(days=1))
    coming = list(
        appointments.holding()
        .filter(location=location, starts_at__gte=start, starts_at__lt=end)
        .select_related("patient", "appointment_type")
        .order_by("starts_at", "id")
    )
    reachable = messaging.reachable_ids(a.patient for a in coming)
    return [a for a in coming if a.patient_id not in reachable]


def may_cancel(appointment: Appointment) -> bool:
    return Status.CANCELLED in NEXT.get(Status(appointment.status), set())


def next_open_day(location: Location, after: dt.date, *, within: int = 60) -> dt.date:
    """The first day from `after` on which the location opens (`after` if none is found).
    Reads the location's prefetched opening hours and closures."""
    for offset in range(within):
        day = after + dt.timedelta(days=offset)
        if location.hours_on(day):
            return day
    return after


def build(
    location: Location, day: dt.date, appointments: QuerySet[Appointment], user: Any = None
) -> DaySchedule:
    """The day's page from one query of appointments (already narrowed to the user)."""
    start, end = day_bounds(location, day)
    rules = DayRules.for_location(location.pk)
    found = list(
        appointments.filter(location=location, starts_at__gte=start, starts_at__lt=end)
        .select_related("patient", "appointment_type", "staff", "chair", "series", "infusion")
        .order_by("starts_at", "id")
    )
    for appointment in found:
        appointment.location = location  # local_start needs it; saves a join
        # The infusion's stage and vitals timer (infusions app), read through the join.
        appointment.chairside = getattr(appointment, "infusion", None)
        appointment.next_actions = next_status_actions(appointment, user, rules)
        appointment.chairside_url = chairside_step(appointment, user)
        appointment.undo_label = undo_label(appointment, rules)
        appointment.may_cancel = may_cancel(appointment)
    holding = [a for a in found if a.status not in RELEASED]
    in_chairs = [a for a in holding if a.chair_id]
    used = {a.chair_id for a in in_chairs}
    chairs = [c for c in location.chairs.all() if c.is_active or c.pk in used]
    hours = location.hours_on(day)
    rows, off_grid = _grid(location, day, chairs, in_chairs, hours)
    return DaySchedule(
        location=location,
        day=day,
        chairs=chairs,
        rows=rows,
        is_open=bool(hours),
        by_staff=_by_staff([a for a in holding if not a.chair_id]),
        timeline=holding,
        released=[a for a in found if a.status in RELEASED],
        off_grid=off_grid,
        shown=found,
    )


def _wall_minutes(moment: dt.datetime, tz: Any) -> int:
    local = moment.astimezone(tz)
    return local.hour * 60 + local.minute


def _exists(day: dt.date, minutes: int, tz: Any) -> bool:
    """Whether a wall-clock time happens at all that day (not in a spring-forward gap)."""
    return exists_locally(dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=tz))


def _grid(
    location: Location, day: dt.date, chairs: list[Chair], placed: list[Appointment], hours: list
) -> tuple[list[Row], list[Appointment]]:
    tz = location.tz
    first = [h.opens.hour * 60 + h.opens.minute for h in hours]
    last = [h.closes.hour * 60 + h.closes.minute for h in hours]
    for appointment in placed:  # an appointment outside the hours still gets its rows
        first.append(_wall_minutes(appointment.starts_at, tz))
        ends = appointment.ends_at.astimezone(tz)
        last.append(24 * 60 if ends.date() > day else ends.hour * 60 + ends.minute)
    if not first:
        return [], []
    top = min(first) // ROW_MINUTES * ROW_MINUTES
    times = [m for m in range(top, max(last), ROW_MINUTES) if _exists(day, m, tz)]
    index = {minutes: number for number, minutes in enumerate(times)}
    column = {chair.pk: number for number, chair in enumerate(chairs)}
    cells: list[list[Cell | None]] = [[Cell() for _ in chairs] for _ in times]
    off_grid = [a for a in placed if not _place(a, cells, index, column, tz, day)]
    rows = [
        Row(dt.datetime.combine(day, dt.time(m // 60, m % 60), tzinfo=tz), row)
        for m, row in zip(times, cells, strict=True)
    ]
    return rows, off_grid


def _place(
    appointment: Appointment,
    cells: list[list[Cell | None]],
    index: dict[int, int],
    column: dict[int, int],
    tz: Any,
    day: dt.date,
) -> bool:
    col = column.get(appointment.chair_id)
    starts = _wall_minutes(appointment.starts_at, tz) // ROW_MINUTES * ROW_MINUTES
    first = index.get(starts)
    if col is None or first is None:
        return False  # a chair not on the page, or a wall time that does not exist
    later = [n for m, n in index.items() if m >= starts and _ends_after(appointment, m, tz, day)]
    last = max(later, default=first)
    if any(cells[n][col] is None or cells[n][col].appointment for n in range(first, last + 1)):
        return False  # overlaps one already placed (the database forbids it for held chairs)
    cells[first][col] = Cell(appointment, last - first + 1)
    for n in range(first + 1, last + 1):
        cells[n][col] = None
    return True


def _ends_after(appointment: Appointment, minutes: int, tz: Any, day: dt.date) -> bool:
    wall = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=tz)
    return appointment.ends_at > wall


def _by_staff(appointments: list[Appointment]) -> list[tuple[Any, list[Appointment]]]:
    groups: dict[int, tuple[Any, list[Appointment]]] = {}
    for appointment in appointments:
        groups.setdefault(appointment.staff_id, (appointment.staff, []))[1].append(appointment)
    return sorted(groups.values(), key=lambda group: str(group[0]))


@dataclass
class FreeTime:
    """A time a person can pick: `value` is what the form posts back (UTC, ISO 8601)."""

    value: str
    local: dt.datetime
    chair: Any = None
    staff: Any = None


def group_by_day(slots: list[Any], tz: Any) -> list[tuple[dt.date, list[FreeTime]]]:
    """Free slots as one list of distinct start times per local day."""
    days: dict[dt.date, dict[str, FreeTime]] = {}
    for slot in sorted(slots, key=lambda s: s.start):
        local = slot.start.astimezone(tz)
        value = slot.start.astimezone(dt.UTC).isoformat()
        days.setdefault(local.date(), {}).setdefault(value, FreeTime(value, local))
    return [(day, list(times.values())) for day, times in days.items()]


def describe(slots: list[Any], location: Location) -> list[FreeTime]:
    """Planned times with the chair and staff member each would get (a series preview)."""
    chairs = {chair.pk: chair for chair in location.chairs.all()}
    staff = User.objects.in_bulk({slot.staff_id for slot in slots})
    return [
        FreeTime(
            slot.start.astimezone(dt.UTC).isoformat(),
            slot.start.astimezone(location.tz),
            chairs.get(slot.chair_id),
            staff.get(slot.staff_id),
        )
        for slot in slots
    ]
