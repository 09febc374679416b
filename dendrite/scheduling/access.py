"""Who may see and change the schedule (the door for appointments, as patients/access.py
is for charts).

- front desk, nurses and prescribers: the schedule of the locations they work at —
  book, reschedule, check in, mark no-shows, cancel. The schedule shows names and visit
  types, never clinical detail.
- clinic admins: the resources (appointment types, protocols, working hours, time off,
  calendar feeds) of their locations, not the patients on the schedule.

Anything else is a 404 from fetch_for, audited as denied.
"""

from typing import Any

from django.db.models import QuerySet

from dendrite.accounts.access import fetch_for, scope_for
from dendrite.accounts.models import Role
from dendrite.audit.log import record
from dendrite.patients.access import PATIENT_ROLES

from .models import Appointment

SCHEDULE_ROLES = PATIENT_ROLES
RESOURCE_ROLES = frozenset({Role.CLINIC_ADMIN})


def get_appointment_for(user: Any, pk: Any, action: str = "read") -> Appointment:
    return fetch_for(
        user,
        Appointment.objects.select_related(
            "patient", "location", "appointment_type", "staff", "chair", "series"
        ),
        pk,
        roles=SCHEDULE_ROLES,
        location_of=lambda appointment: appointment.location_id,
        action=action,
        patient_of=lambda appointment: appointment.patient_id,
    )


def appointments_for(user: Any) -> QuerySet[Appointment]:
    """Appointments at the user's locations (the view audits what it shows)."""
    if user.role not in SCHEDULE_ROLES:
        return Appointment.objects.none()
    return scope_for(user, Appointment.objects.all())


def audit_list(user: Any, appointments: list[Appointment], screen: str) -> None:
    """Which appointments (and so which patients) a schedule page showed."""
    detail = {"ids": [a.pk for a in appointments], "screen": screen}
    record("scheduling.appointment.list", user=user, object_type="appointment", detail=detail)
