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
from django.utils.safestring import mark_safe

from dendrite.accounts.models import User
from dendrite.clinics.models import Chair, Location
from dendrite.dates import clock
from dendrite.links import row_url

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
    html: str = ""  # for the template: empty cells, as they are drawn


@dataclass
class Row:
    time: dt.datetime  # aware, in the location's time zone
    cells: list[Cell | None]
    label: str = ""  # the time as the page shows it
    parts: list[Cell] = field(default_factory=list)  # the cells as the template draws them


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


# What the day reads of each appointment and of the rows joined to it: what the page
# shows and what the next steps are worked out from, no more (every column read is
# converted and kept for each visit on every request).
SHOWN_FIELDS = (
    *("patient", "location", "appointment_type", "series", "series_number", "staff", "chair"),
    *("starts_at", "staff_ends_at", "ends_at", "status", "status_changed_at"),
    *("previous_status", "late_cancel", "booked_online", "version"),
    *("patient__first_name", "patient__last_name", "patient__preferred_name"),
    *("appointment_type__kind", "appointment_type__name"),
    *("staff__first_name", "staff__last_name", "staff__username"),
    *("chair__name", "series__infusions", "infusion__stage", "infusion__next_vitals_due_at"),
)


def build(
    location: Location, day: dt.date, appointments: QuerySet[Appointment], user: Any = None
) -> DaySchedule:
    """The day's page from one query of appointments (already narrowed to the user) and
    one of chairs. The location comes from access.get_location_day_for, with its day
    rules and that day's hours read in the same query."""
    start, end = day_bounds(location, day)
    rules = getattr(location, "day_rules", None) or DayRules(location_id=location.pk)
    found = list(
        appointments.filter(location=location, starts_at__gte=start, starts_at__lt=end)
        .select_related("patient", "appointment_type", "staff", "chair", "series", "infusion")
        .only(*SHOWN_FIELDS)
        .order_by("starts_at", "id")
    )
    card = _Cards(location, user)
    for appointment in found:
        appointment.location = location  # local_start needs it; saves a join
        # The infusion's stage and vitals timer (infusions app), read through the join.
        appointment.chairside = getattr(appointment, "infusion", None)
        appointment.next_actions = next_status_actions(appointment, user, rules)
        appointment.chairside_url = chairside_step(appointment, user)
        appointment.undo_label = undo_label(appointment, rules)
        appointment.may_cancel = may_cancel(appointment)
        card.fill(appointment)
    holding = [a for a in found if a.status not in RELEASED]
    in_chairs = [a for a in holding if a.chair_id]
    used = {a.chair_id for a in in_chairs}
    chairs = [
        c
        for c in Chair.objects.filter(location=location).only("name", "is_active").order_by("name")
        if c.is_active or c.pk in used
    ]
    is_open = not location.closed_on_day and location.opens_on_day is not None
    hours = (location.opens_on_day, location.closes_on_day) if is_open else None
    rows, off_grid = _grid(location, day, chairs, in_chairs, hours)
    return DaySchedule(
        location=location,
        day=day,
        chairs=chairs,
        rows=rows,
        is_open=is_open,
        by_staff=_by_staff([a for a in holding if not a.chair_id]),
        timeline=holding,
        released=[a for a in found if a.status in RELEASED],
        off_grid=off_grid,
        shown=found,
    )


class _Cards:
    """What each visit's card shows, worked out once in Python rather than by the
    template in each place the card appears (the grid or the staff list, the narrow
    list, the cancelled ones): times, names, labels, and each form's address, reversed
    once for the page and given each appointment's id."""

    def __init__(self, location: Location, user: Any) -> None:
        self.zone = location.tz
        self.clinical = getattr(user, "is_clinical", False)
        self.page = row_url("scheduling:appointment")
        self.change = row_url("scheduling:change_status")
        self.undo = row_url("scheduling:undo")
        self.cancel = row_url("scheduling:cancel")
        self.record = row_url("infusions:chairside")

    def fill(self, appointment: Appointment) -> None:
        pk, starts = appointment.pk, clock(appointment.starts_at, self.zone)
        appointment.when = f"{starts}–{clock(appointment.ends_at, self.zone)}"
        appointment.name = appointment.patient.display_name
        appointment.label = f"{appointment.name}, {starts}"  # for screen readers
        appointment.page_url = self.page(pk)
        kind = appointment.appointment_type
        what = kind.name
        if appointment.series_id:
            what += f", {appointment.series_number} of {appointment.series.infusions}"
        appointment.what = f"{what} · {appointment.staff}"
        appointment.status_label = Status(appointment.status).label
        stage = appointment.chairside
        appointment.stage_label = stage.get_stage_display() if stage else ""
        appointment.vitals = stage.vitals_state if stage else ""
        appointment.record_url = (
            self.record(pk)
            if self.clinical and kind.is_infusion and appointment.is_holding
            else None
        )
        appointment.status_url = self.change(pk) if appointment.next_actions else ""
        appointment.undo_url = self.undo(pk) if appointment.undo_label else ""
        appointment.cancel_url = self.cancel(pk) if appointment.may_cancel else ""


def _wall_minutes(moment: dt.datetime, tz: Any) -> int:
    local = moment.astimezone(tz)
    return local.hour * 60 + local.minute


def _exists(day: dt.date, minutes: int, tz: Any) -> bool:
    """Whether a wall-clock time happens at all that day (not in a spring-forward gap)."""
    return exists_locally(dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=tz))


def _grid(
    location: Location,
    day: dt.date,
    chairs: list[Chair],
    placed: list[Appointment],
    hours: tuple[dt.time, dt.time] | None,
) -> tuple[list[Row], list[Appointment]]:
    """The rows from the first opening (or the first visit) to the last closing (or the
    last visit's end), each with its cells and the same cells as the template draws them."""
    tz = location.tz
    first = [hours[0].hour * 60 + hours[0].minute] if hours else []
    last = [hours[1].hour * 60 + hours[1].minute] if hours else []
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
    rows = []
    for m, row in zip(times, cells, strict=True):
        at = dt.datetime.combine(day, dt.time(m // 60, m % 60), tzinfo=tz)
        rows.append(Row(at, row, clock(at, tz), _parts(row)))
    return rows, off_grid


def _parts(cells: list[Cell | None]) -> list[Cell]:
    """A row's cells as the template draws them: each visit that starts there, and the
    empty cells between them joined into one piece of HTML (most rows are only that)."""
    parts: list[Cell] = []
    empty = 0
    for cell in cells:
        if cell is not None and cell.appointment is None:
            empty += 1
            continue
        if cell is None:
            continue  # covered by a visit that started in an earlier row
        if empty:
            parts.append(Cell(html=mark_safe("<td></td>" * empty)))  # noqa: S308
            empty = 0
        parts.append(cell)
    if empty:
        parts.append(Cell(html=mark_safe("<td></td>" * empty)))  # noqa: S308
    return parts


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
