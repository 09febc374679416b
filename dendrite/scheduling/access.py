"""Who may see and change the schedule (the door for appointments, as patients/access.py
is for charts).

- front desk, nurses and prescribers: the schedule of the locations they work at —
  book, reschedule, check in, mark no-shows, cancel. The schedule shows names and visit
  types, never clinical detail.
- clinic admins: the schedule and the waitlist of their locations as the front desk
  sees them (names and visit types; check in, move, cancel, undo), so they can run the
  clinic; the resources (appointment types, protocols, working hours, time off, day
  rules, calendar feeds); the reminders that need a person. Not the charts: booking a
  new visit starts from the chart, so it stays with the front desk and clinicians, and
  their calendar feeds carry no patient names.
- a patient, through a signed link (links.py): the one appointment it names.

Anything else is a 404 from fetch_for, audited as denied.
"""

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from dendrite.accounts.access import ALL_ROLES, fetch_for, scope_for
from dendrite.accounts.models import Role, User
from dendrite.audit.log import record
from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Closure, Location, OpeningHours
from dendrite.patients.access import PATIENT_ROLES

from . import links, messaging
from .models import Appointment, PatientMessage, Reminder, WaitlistEntry, WaitlistStatus
from .reminders import needs_attention

SCHEDULE_ROLES = PATIENT_ROLES | {Role.CLINIC_ADMIN}
# Booking starts from a patient's chart: the roles that open charts.
BOOKING_ROLES = PATIENT_ROLES
# Calendar feeds leave the app (a link anyone holding it can read): names only for the
# roles that also open the charts.
FEED_NAME_ROLES = PATIENT_ROLES
RESOURCE_ROLES = frozenset({Role.CLINIC_ADMIN})
SENDING_ROLES = frozenset({Role.FRONT_DESK, Role.NURSE, Role.PRESCRIBER, Role.CLINIC_ADMIN})
# Who the audit trail names for what a patient does through their signed link.
PATIENT_LINK = "patient-link"


def get_appointment_for(user: User, pk: Any, action: str = "read") -> Appointment:
    return fetch_for(
        user,
        Appointment.objects.select_related(
            "patient", "location", "appointment_type", "staff", "chair", "series", "booked_by"
        ),
        pk,
        roles=SCHEDULE_ROLES,
        location_of=lambda appointment: appointment.location_id,
        action=action,
        patient_of=lambda appointment: appointment.patient_id,
    )


def get_location_day_for(user: User, pk: Any, day: dt.date) -> Location:
    """The location as `get_location_for` opens it (same check, same audit entry), read in
    one query with what the day view needs of it that day: its day rules (`day_rules`,
    absent without a row), whether a closure covers the day (`closed_on_day`) and its
    first opening and last closing time that weekday (`opens_on_day`, `closes_on_day`:
    None when it has no hours then)."""
    hours = OpeningHours.objects.filter(location=OuterRef("pk"), weekday=day.weekday())
    closures = Closure.objects.filter(
        location=OuterRef("pk"), start_date__lte=day, end_date__gte=day
    )
    queryset = Location.objects.select_related("day_rules").annotate(
        closed_on_day=Exists(closures),
        opens_on_day=Subquery(hours.order_by("opens").values("opens")[:1]),
        closes_on_day=Subquery(hours.order_by("-closes").values("closes")[:1]),
    )
    return fetch_for(user, queryset, pk, roles=ALL_ROLES, location_of=lambda location: location.pk)


def appointments_for(user: User) -> QuerySet[Appointment]:
    """Appointments at the user's locations (the view audits what it shows)."""
    if user.role not in SCHEDULE_ROLES:
        return Appointment.objects.none()
    return scope_for(user, Appointment.objects.all())


def audit_list(user: User, appointments: list[Appointment], screen: str) -> None:
    """Which appointments (and so which patients) a schedule page showed."""
    detail = {"ids": [a.pk for a in appointments], "screen": screen}
    record("scheduling.appointment.list", user=user, object_type="appointment", detail=detail)


# Patients' signed links


def get_appointment_by_link(token: str, purpose: str) -> Appointment | None:
    """The appointment a patient's link names, or None if the link is changed, expired,
    for another purpose or names nothing; audited either way."""
    try:
        pk = links.appointment_id(token, purpose)
        appointment = Appointment.objects.select_related("location", "appointment_type").get(pk=pk)
    except (links.BadLink, Appointment.DoesNotExist):
        detail = {"purpose": purpose}
        record("scheduling.link.refused", username=PATIENT_LINK, object_type="link",
               outcome=AuditEvent.Outcome.DENIED, detail=detail)  # fmt: skip
        return None
    record("scheduling.appointment.read", username=PATIENT_LINK, obj=appointment,
           patient_id=appointment.patient_id, detail={"purpose": purpose})  # fmt: skip
    return appointment


# The waitlist


def get_waitlist_entry_for(user: User, pk: Any, action: str = "read") -> WaitlistEntry:
    return fetch_for(
        user,
        WaitlistEntry.objects.select_related("patient", "location", "appointment_type"),
        pk,
        roles=SCHEDULE_ROLES,
        location_of=lambda entry: entry.location_id,
        action=action,
        patient_of=lambda entry: entry.patient_id,
    )


def waitlist_for(user: User) -> QuerySet[WaitlistEntry]:
    """Open entries at the user's locations, offers first (the view audits what it shows)."""
    if user.role not in SCHEDULE_ROLES:
        return WaitlistEntry.objects.none()
    open_entries = WaitlistEntry.objects.filter(
        status__in=[WaitlistStatus.OFFERED, WaitlistStatus.WAITING]
    )
    return (
        scope_for(user, open_entries)
        .select_related("patient", "location", "appointment_type")
        .order_by("status", "created_at", "id")  # "offered" sorts before "waiting"
    )


def audit_waitlist(user: User, entries: list[WaitlistEntry]) -> None:
    detail = {"ids": [entry.pk for entry in entries], "screen": "waitlist"}
    record("scheduling.waitlistentry.list", user=user, object_type="waitlistentry", detail=detail)


# Reminders that need a person


def reminders_for(user: User) -> QuerySet[Reminder]:
    """Reminders at the user's locations that need a person (the view audits them)."""
    queryset = Reminder.objects.filter(needs_attention(timezone.now()))
    return scope_for(user, queryset, "appointment__location")


def get_reminder_for(user: User, pk: Any, action: str = "retry") -> Reminder:
    """A reminder at the user's locations (needing a person or not); else 404, audited
    as a denied `action`."""
    mine = scope_for(user, Reminder.objects.all(), "appointment__location")
    reminder = mine.select_related("appointment").filter(pk=pk).first()
    if reminder is None:
        record(f"scheduling.reminder.{action}", user=user, object_type="reminder",
               object_id=pk, outcome=AuditEvent.Outcome.DENIED)  # fmt: skip
        raise Http404
    return reminder


def patient_messages_needing_attention_for(user: User, limit: int) -> list[PatientMessage]:
    """The newest messages to patients at the user's locations that failed or are stuck
    (at most `limit`), audited as shown."""
    queryset = PatientMessage.objects.filter(messaging.needs_attention(timezone.now()))
    shown = list(
        scope_for(user, queryset, "location")
        .select_related("patient", "location")
        .order_by("-created_at", "-id")[:limit]
    )
    if shown:
        record("scheduling.patientmessage.list", user=user, object_type="patientmessage",
               detail={"ids": [m.pk for m in shown]})  # fmt: skip
    return shown


def audit_reminders(user: User, reminders: list[Reminder]) -> None:
    record("scheduling.reminder.list", user=user, object_type="reminder",
           detail={"ids": [r.pk for r in reminders]})  # fmt: skip
