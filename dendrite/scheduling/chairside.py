"""Where a higher app that keeps its own record of a visit at the chair plugs into the
schedule (the infusions app, in its apps.py): scheduling sits below it and never
imports it.

For an infusion, "In chair", "Recovering" and "Done" are not buttons of the schedule:
the chairside record moves them when the pump starts (after the pre-infusion check, the
dose's double check and the vial draw), stops and the patient is discharged. The
schedule leads to the chairside page instead, and `change_status` refuses those steps
unless the record has reached them.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from .models import Appointment, Status


@dataclass(frozen=True)
class Chairside:
    url_name: str  # the record's page, reversed with the appointment's pk
    related_name: str  # the record's reverse one-to-one name on Appointment
    # Appointment status → the record's stages in which the schedule may show it.
    stages: Mapping[str, frozenset[str]]


_registered: list[Chairside] = []

STEP_REFUSED = (
    "An infusion is moved to “{status}” by its chairside record, after the pre-infusion "
    "check and the dose's double check. Please open the chairside record."
)


def register(chairside: Chairside) -> None:
    if chairside not in _registered:
        _registered.append(chairside)


def for_appointment(appointment: Appointment) -> Chairside | None:
    if _registered and appointment.appointment_type.is_infusion:
        return _registered[0]
    return None


def stage_of(appointment: Appointment, chairside: Chairside) -> Any:
    # A missing record raises RelatedObjectDoesNotExist, an AttributeError.
    return getattr(getattr(appointment, chairside.related_name, None), "stage", None)


def owns(appointment: Appointment, status: str) -> bool:
    """Whether the chairside record, not the schedule, moves the appointment to `status`."""
    chairside = for_appointment(appointment)
    return chairside is not None and status in chairside.stages


def refusal(appointment: Appointment, status: str) -> str | None:
    """Why the schedule may not move this appointment to `status` now, or None."""
    chairside = for_appointment(appointment)
    if chairside is None or status not in chairside.stages:
        return None
    if stage_of(appointment, chairside) in chairside.stages[status]:
        return None
    return STEP_REFUSED.format(status=Status(status).label)


def url(appointment: Appointment) -> str | None:
    chairside = for_appointment(appointment)
    return reverse(chairside.url_name, args=[appointment.pk]) if chairside else None
