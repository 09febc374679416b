"""Who may open the infusion record (the door, as scheduling/access.py is for the
schedule):

- nurses and prescribers of the appointment's location: the whole chairside record;
  prescribers alone sign orders, decide about a held infusion, titrate and acknowledge
  chairside alerts (the actions check the role again).
- front desk: only each infusion's stage, on the day view (scheduling/day.py); never the
  chairside record.
- anyone else, and any other location: a 404 from fetch_for, audited as denied.
"""

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from dendrite.accounts.access import fetch_for, scope_for
from dendrite.accounts.models import CLINICAL_ROLES, Role, User
from dendrite.clinics.models import Location
from dendrite.controlled.models import Vial, settled
from dendrite.patients.access import get_patient_for
from dendrite.patients.models import Patient
from dendrite.scheduling.models import Appointment

from .models import ChairsideAlert, DoseCheck, Infusion, InfusionOrder

CHAIRSIDE_ROLES = CLINICAL_ROLES
PRESCRIBER_ROLES = frozenset({Role.PRESCRIBER})


def get_visit_for(user: User, pk: Any, action: str = "chairside") -> Appointment:
    """An infusion appointment with its record loaded (or None as `.record`)."""
    appointment = fetch_for(
        user,
        # What the chairside screens show of the visit; nothing more (each relation
        # joined costs the page time on every redraw).
        Appointment.objects.select_related("patient", "location", "appointment_type", "chair"),
        pk,
        roles=CHAIRSIDE_ROLES,
        location_of=lambda appointment: appointment.location_id,
        action=action,
        patient_of=lambda appointment: appointment.patient_id,
    )
    if not appointment.appointment_type.is_infusion:
        raise Http404
    return appointment


# The infusion record's rows the chairside page names beside it (infusion_of, and the
# chairside page's own read).
RECORD_RELATED = ("order", "checked_by", "verified_by", "hold_decided_by", "discharged_by", "vial")


def get_chairside_visit_for(user: User, pk: Any) -> tuple[Appointment, Infusion | None]:
    """The visit as get_visit_for opens it (the same check and audit entry), with its
    infusion record and what the page shows beside it read in the same query: the
    chairside page's door, asked for on every redraw at the chair."""
    joined = [f"infusion__{name}" for name in RECORD_RELATED]
    # Who prepared the dose last (actions.preparer), for the stop form's "drawn by".
    prepared = DoseCheck.objects.filter(
        infusion__appointment=OuterRef("pk"), kind=DoseCheck.Kind.PREPARE
    ).order_by("-at", "-id")
    appointment = fetch_for(
        user,
        Appointment.objects.select_related(
            "patient", "location", "appointment_type", "chair", "infusion", *joined
        ).annotate(preparer_id=Subquery(prepared.values("by_id")[:1])),
        pk,
        roles=CHAIRSIDE_ROLES,
        location_of=lambda appointment: appointment.location_id,
        action="chairside",
        patient_of=lambda appointment: appointment.patient_id,
    )
    if not appointment.appointment_type.is_infusion:
        raise Http404
    infusion: Infusion | None = getattr(appointment, "infusion", None)
    if infusion is not None:
        infusion.appointment, infusion.patient = appointment, appointment.patient
        infusion.preparer_id = appointment.preparer_id  # type: ignore[attr-defined]
    return appointment, infusion


def infusion_of(appointment: Appointment) -> Infusion | None:
    """The visit's infusion record, with what the chairside page shows beside it."""
    return Infusion.objects.select_related(*RECORD_RELATED).filter(appointment=appointment).first()


def get_infusion_for(user: User, appointment_pk: Any, action: str) -> Infusion:
    """The infusion of a visit the user may record at; 404 if it has none yet.

    Only the record itself and its order: every action locks and reads the record again,
    and a refused form's page loads the rest as it needs it."""
    appointment = get_visit_for(user, appointment_pk, action)
    infusion = Infusion.objects.select_related("order").filter(appointment=appointment).first()
    if infusion is None:
        raise Http404
    infusion.appointment, infusion.patient = appointment, appointment.patient
    return infusion


def get_order_patient_for(user: User, pk: Any, action: str = "read_clinical") -> Patient:
    return get_patient_for(user, pk, action)


def orders_of(patient: Patient) -> QuerySet[InfusionOrder]:
    return (
        InfusionOrder.objects.filter(patient=patient)
        .select_related("signed_by", "series")
        .prefetch_related("appointments")
    )


def get_order_for(user: User, pk: Any, action: str = "read") -> InfusionOrder:
    return fetch_for(
        user,
        InfusionOrder.objects.select_related("patient", "location", "series"),
        pk,
        roles=PRESCRIBER_ROLES if action == "revise" else CHAIRSIDE_ROLES,
        location_of=lambda order: order.location_id,
        action=action,
        patient_of=lambda order: order.patient_id,
    )


def get_alert_for(user: User, pk: Any, action: str = "acknowledge") -> ChairsideAlert:
    return fetch_for(
        user,
        ChairsideAlert.objects.select_related("infusion", "infusion__appointment"),
        pk,
        roles=PRESCRIBER_ROLES,
        location_of=lambda alert: alert.location_id,
        action=action,
        patient_of=lambda alert: alert.infusion.patient_id,
    )


def open_alerts_for(user: User) -> QuerySet[ChairsideAlert]:
    """Unacknowledged chairside alerts at the user's locations (for every staff page)."""
    return scope_for(user, ChairsideAlert.objects.open()).select_related(
        "location", "infusion__appointment__chair"
    )


def vials_to_draw_from(user: User, location: Location) -> list[Vial]:
    """The vials with a balance at the location, for the dose step's list (the caller has
    opened the visit with get_visit_for, so the role and location are checked).

    Not audited, on purpose: a vial list holds no patient data (number, NDC, lot,
    expiry, balance), and the chairside page redraws it after every vital sign, so an
    entry per redraw would bury the trail in noise. What is drawn is audited where it
    happens: the preparation (infusions.infusion.prepare, with the vial) and the ledger
    movement at the stop (controlled.movement.*)."""
    if user.role not in CHAIRSIDE_ROLES or not user.works_at(location.pk):
        return []
    vials = Vial.objects.in_stock().filter(location=location).order_by("number")
    return [settled(vial) for vial in scope_for(user, vials)]
