"""A completed infusion with its whole record at each demo location (synthetic people
only, for `load_demo`): order, check, double-checked dose, vital signs with one high
blood pressure alerted and acknowledged, an adverse event, the stop, recovery and
discharge. The dose is drawn from the first vial of the location's demo controlled-
substance log (demo/controlled.py, loaded first), which records the administration at
the stop, so the log and the record agree. The actions write it now; its times are then
set to yesterday morning, as the chair would have recorded them (the log's lines keep
the moment they were written: the log is append-only)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dendrite.accounts.models import Role, User
from dendrite.clinics.models import Location
from dendrite.controlled.models import Vial
from dendrite.infusions import actions
from dendrite.infusions.models import (
    AdverseEvent,
    ChairsideAlert,
    DoseCheck,
    Infusion,
    InfusionEvent,
    VitalSigns,
)
from dendrite.patients.models import Patient
from dendrite.scheduling.models import Appointment, Kind

D = Decimal
BASELINE = {"systolic": D(124), "diastolic": D(78), "heart_rate": D(72), "spo2": D(98),
            "resp_rate": D(14), "temperature": D("36.7")}  # fmt: skip
# (minutes after the start, systolic, diastolic, heart rate): one high reading at 20 min,
# where the Yale review saw pressures peak (CLINICAL.md §3.3 [R63]).
READINGS = [(10, 132, 82, 78), (20, 186, 104, 88), (30, 150, 90, 80), (40, 140, 86, 76),
            (55, 130, 80, 74), (70, 126, 78, 72)]  # fmt: skip


@transaction.atomic
def load_infusions() -> None:
    for location in Location.objects.all():
        staff = User.objects.filter(locations=location, is_active=True)
        nurse = staff.filter(role=Role.NURSE).first()
        prescriber = staff.filter(role=Role.PRESCRIBER).first()
        patient = Patient.objects.filter(location=location, series__isnull=False).first()
        chair = location.chairs.filter(is_active=True).first()
        if None in (nurse, prescriber, patient, chair):
            continue
        if Infusion.objects.filter(location=location).exists():
            continue
        _completed(location, patient, nurse, prescriber, chair)


def _completed(location: Location, patient: Patient, nurse: User, prescriber: User, chair) -> None:
    yesterday = location.local_now().date() - dt.timedelta(days=1)
    start = dt.datetime.combine(yesterday, dt.time(10), tzinfo=location.tz)
    kind = location.appointment_types.get(kind=Kind.INFUSION)
    visit = Appointment.objects.create(
        patient=patient, location=location, appointment_type=kind, staff=nurse, chair=chair,
        starts_at=start, staff_ends_at=start + dt.timedelta(minutes=kind.staff_minutes),
        ends_at=start + dt.timedelta(minutes=kind.visit_minutes), booked_by=nurse,
        status=Appointment.Status.CHECKED_IN,  # yesterday: check-in is only open on the day
    )  # fmt: skip
    order = actions.sign_order(
        patient, by=prescriber, mg_per_kg=D("0.5"), minutes=40, appointments=[visit],
        series=patient.series.first(),
    )  # fmt: skip
    check = {
        "identifiers": ["name", "date_of_birth"], "fasting_hours": D(6),
        "escort_name": "Jamie Rivera", "escort_phone": "+16175550188",
        "weight_kg": D("79.8"), "weight_entered": "176 lb", "pregnancy": "not_applicable",
        "questionnaires_reviewed": True,
    } | BASELINE  # fmt: skip
    infusion = actions.record_check(visit, by=nurse, data=check)
    vial = Vial.objects.in_stock().filter(location=location).order_by("number").first()
    if vial is None:  # the demo's controlled log (demo/controlled.py) receives stock first
        raise RuntimeError("The demo location has no ketamine in its log.")
    infusion = actions.prepare_dose(infusion, by=nurse, vial=vial)
    concentration = vial.concentration_mg_per_ml
    actions.verify_dose(infusion, by=prescriber, weight_kg=D("79.8"), concentration=concentration)
    actions.start(infusion, by=nurse)
    for _, systolic, diastolic, heart_rate in READINGS[:4]:
        values = BASELINE | {"systolic": D(systolic), "diastolic": D(diastolic),
                             "heart_rate": D(heart_rate)}  # fmt: skip
        _, alert = actions.record_vitals(infusion, by=nurse, values=values, cadss=6)
        if alert:
            actions.acknowledge_alert(
                alert, by=prescriber, action_taken="Seen at the chair; no symptoms. Rechecked "
                "in 10 minutes, falling; no medicine needed.",
            )  # fmt: skip
    event = AdverseEvent(
        kind="nausea", severity="mild", action="Reassured; sips of water",
        medicine_given="Ondansetron 4 mg by mouth", outcome="resolved",
    )  # fmt: skip
    actions.record_adverse_event(infusion, event, by=nurse)
    # The whole bag ran: the log records it all given, none wasted, witnessed all the same.
    infused = infusion.total_ml or D(0)
    actions.stop(infusion, by=nurse, reason="completed", note="", infused_ml=infused)
    for _, systolic, diastolic, heart_rate in READINGS[4:]:
        values = BASELINE | {"systolic": D(systolic), "diastolic": D(diastolic),
                             "heart_rate": D(heart_rate)}  # fmt: skip
        actions.record_vitals(infusion, by=nurse, values=values)
    answers = {"activity": 2, "respiration": 2, "circulation": 2, "consciousness": 2, "spo2": 2}
    actions.discharge(infusion, by=nurse, answers=answers, escort_present=True)
    _back_to(infusion, start, order)


def _back_to(infusion: Infusion, start: dt.datetime, order) -> None:
    """Give each record the time it would have had at the chair."""
    at = lambda minutes: start + dt.timedelta(minutes=minutes)  # noqa: E731
    order.__class__.objects.filter(pk=order.pk).update(signed_at=at(-24 * 60))
    Infusion.objects.filter(pk=infusion.pk).update(
        checked_at=at(-10), verified_at=at(-4), started_at=at(0), stopped_at=at(40),
        discharged_at=at(95), hold_decided_at=None,
    )  # fmt: skip
    for check, minutes in zip(infusion.dose_checks.order_by("id"), (-7, -4), strict=False):
        DoseCheck.objects.filter(pk=check.pk).update(at=at(minutes))
    for event, minutes in zip(infusion.events.order_by("id"), (0, 40), strict=False):
        InfusionEvent.objects.filter(pk=event.pk).update(at=at(minutes))
    offsets = [-10] + [minutes for minutes, *_ in READINGS]
    for reading, minutes in zip(infusion.vital_signs.order_by("id"), offsets, strict=False):
        VitalSigns.objects.filter(pk=reading.pk).update(taken_at=at(minutes))
    ChairsideAlert.objects.filter(infusion=infusion).update(
        raised_at=at(20), acknowledged_at=at(23)
    )
    AdverseEvent.objects.filter(infusion=infusion).update(recorded_at=at(25))
    now = timezone.now()
    infusion.appointment.__class__.objects.filter(pk=infusion.appointment_id).update(
        status_changed_at=min(now, at(95))
    )
