"""Every write of the infusion record. Each action runs in one transaction on the
infusion's locked row, writes its audit entry and queues its messages with the data.
A refusal (Refused) says why in words for the nurse or prescriber, names the form field
it belongs to when there is one, and leaves nothing half-saved.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dendrite import dates
from dendrite.accounts.models import Role, User
from dendrite.alerts.models import SafetyAlert
from dendrite.audit.log import record
from dendrite.controlled import actions as controlled
from dendrite.controlled import dating
from dendrite.controlled.models import Vial
from dendrite.patients.models import Consent, Patient
from dendrite.scheduling import actions as schedule
from dendrite.scheduling.models import Appointment, Series, Status

from . import alerting, dosing, recovery, rules, vitals
from .models import (
    AdverseEvent,
    ChairsideAlert,
    ChairsideMessage,
    DoseCheck,
    Infusion,
    InfusionEvent,
    InfusionOrder,
    Observation,
    Pregnancy,
    Stage,
    VitalSigns,
)


class Refused(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


NO_ORDER = (
    "No signed infusion order names this visit. A prescriber must write and sign one "
    "before the infusion can start."
)


def _audit(label: str, infusion: Infusion, by: User, **detail: Any) -> None:
    record(
        f"infusions.{label}", user=by, obj=infusion, patient_id=infusion.patient_id,
        detail=detail or None,
    )  # fmt: skip


def _locked(infusion: Infusion) -> Infusion:
    return (
        Infusion.objects.select_for_update()
        .select_related("appointment", "order")
        .get(pk=infusion.pk)
    )


# The order.


@transaction.atomic
def sign_order(
    patient: Patient, *, by: User, mg_per_kg: Decimal, minutes: int,
    titrate_to_mg_per_kg: Decimal | None = None, titration: str = "",
    appointments: list[Appointment] | None = None, series: Series | None = None,
    replaces: InfusionOrder | None = None,
) -> InfusionOrder:  # fmt: skip
    """A prescriber's signed order (the view has checked their own code). A new version
    replaces the one it revises, which is then no longer in force."""
    if by.role != Role.PRESCRIBER:
        raise Refused("Only a prescriber signs an infusion order.")
    appointments = appointments or []
    if not appointments and series is None:
        raise Refused("Please choose the visits or the series this order is for.", "appointments")
    version = 1
    if replaces is not None:
        replaces = InfusionOrder.objects.select_for_update().get(pk=replaces.pk)
        if replaces.status != InfusionOrder.Status.SIGNED:
            raise Refused("This order has already been replaced by a later version.")
        replaces.status = InfusionOrder.Status.REPLACED
        replaces.save(update_fields=["status"])
        version = replaces.version + 1
    order = InfusionOrder.objects.create(
        patient=patient, location=patient.location, version=version, replaces=replaces,
        series=series, mg_per_kg=mg_per_kg, titrate_to_mg_per_kg=titrate_to_mg_per_kg,
        minutes=minutes, titration=titration, status=InfusionOrder.Status.SIGNED,
        signed_by=by, signed_at=timezone.now(),
    )  # fmt: skip
    order.appointments.set(appointments)
    detail = {"version": version, "replaces": replaces.pk if replaces else None}
    record("infusions.order.sign", user=by, obj=order, patient_id=patient.pk, detail=detail)
    return order


def order_for(appointment: Appointment) -> InfusionOrder | None:
    return InfusionOrder.objects.for_appointment(appointment).first()


# The check at the chair.


def hold_reasons(
    *, baseline: dict[str, Decimal | None], pregnancy: str, fasting_hours: Decimal | None
) -> list[str]:
    reasons = []
    systolic, diastolic = baseline["systolic"], baseline["diastolic"]
    if systolic is None or diastolic is None:  # the form requires both
        raise Refused("Please record the baseline blood pressure before the check.", "systolic")
    if vitals.above_hold(systolic, diastolic, settings.INFUSION_HOLD_BP):
        high = "/".join(str(n) for n in settings.INFUSION_HOLD_BP)
        reasons.append(
            f"Blood pressure {systolic}/{diastolic} mmHg is above the clinic's limit of {high} mmHg"
        )
    if pregnancy in (Pregnancy.POSSIBLE, Pregnancy.PREGNANT):
        reasons.append("The patient may be pregnant or is breastfeeding")  # §3.2 [R66][R99]
    needed = settings.INFUSION_FASTING_HOURS
    if needed and fasting_hours is not None and fasting_hours < needed:
        reasons.append(f"Fasted {fasting_hours} hours; the clinic asks for {needed}")
    return reasons


@transaction.atomic
def record_check(appointment: Appointment, *, by: User, data: dict[str, Any]) -> Infusion:
    """The nurse's check at the chair, with the baseline vital signs. A baseline pressure
    over the hold limit (or a possible pregnancy, or too short a fast) holds the start
    until a prescriber decides."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if Infusion.objects.filter(appointment=appointment).exists():
        raise Refused("This visit has been checked already.")
    if not appointment.is_holding:
        raise Refused("This visit was cancelled or missed.")
    order = order_for(appointment)
    if order is None:
        raise Refused(NO_ORDER)
    if not appointment.patient.consented_to(Consent.Kind.TREATMENT):
        raise Refused(
            "There is no treatment consent in force on the chart. Please record the "
            "patient's consent before the check.", "consent_confirmed",
        )  # fmt: skip
    baseline = {key: data.get(key) for key in vitals.MEASURES}
    reasons = hold_reasons(
        baseline=baseline, pregnancy=data["pregnancy"], fasting_hours=data.get("fasting_hours")
    )
    now = timezone.now()
    infusion = Infusion.objects.create(
        appointment=appointment, patient=appointment.patient, location=appointment.location,
        order=order, stage=Stage.ON_HOLD if reasons else Stage.CHECKED,
        mg_per_kg=order.mg_per_kg, minutes=order.minutes, checked_by=by, checked_at=now,
        identifiers=list(data["identifiers"]), fasting_hours=data.get("fasting_hours"),
        escort_name=data["escort_name"], escort_phone=data["escort_phone"],
        weight_kg=data["weight_kg"], weight_entered=data["weight_entered"],
        pregnancy=data["pregnancy"], questionnaires_reviewed=data["questionnaires_reviewed"],
        hold_reason="; ".join(reasons)[:200],
    )  # fmt: skip
    _add_vitals(infusion, baseline, by=by, taken_at=now, phase=VitalSigns.Phase.BASELINE)
    _audit("infusion.check", infusion, by, held=bool(reasons), order=order.pk)
    return infusion


@transaction.atomic
def decide_hold(infusion: Infusion, *, by: User, decision: str, note: str) -> Infusion:
    infusion = _locked(infusion)
    if by.role != Role.PRESCRIBER:
        raise Refused("Only a prescriber decides about a held infusion.")
    if infusion.stage != Stage.ON_HOLD:
        raise Refused("This infusion is not on hold.")
    infusion.hold_decision = decision
    infusion.hold_decided_by, infusion.hold_decided_at = by, timezone.now()
    infusion.hold_note = note
    infusion.stage = Stage.CHECKED if decision == "proceed" else Stage.NOT_GIVEN
    infusion.save()
    _audit("infusion.hold_decision", infusion, by, decision=decision)
    return infusion


# The dose and its independent double check.


def _calculate(infusion: Infusion, weight_kg: Decimal, concentration: Decimal) -> dosing.Dose:
    try:
        return dosing.calculate(
            weight_kg, infusion.mg_per_kg, concentration, infusion.minutes, rules.dosing_rules()
        )
    except dosing.DoseError as error:
        field = {"weight": "weight", "concentration": "concentration"}.get(error.field)
        raise Refused(error.message, field) from error


@transaction.atomic
def titrate(infusion: Infusion, *, by: User, mg_per_kg: Decimal) -> Infusion:
    """This visit's dose within the range the signed order allows (its titration)."""
    infusion = _locked(infusion)
    if by.role != Role.PRESCRIBER:
        raise Refused("Only a prescriber sets this visit's dose.")
    if infusion.stage not in (Stage.CHECKED, Stage.PREPARED, Stage.VERIFIED):
        raise Refused("The dose can only be changed before the infusion starts.")
    order = infusion.order
    if not order.mg_per_kg <= mg_per_kg <= order.highest_mg_per_kg:
        raise Refused(
            f"The signed order allows {order.mg_per_kg} to {order.highest_mg_per_kg} mg/kg "
            "for a visit. A higher dose needs a new order, signed again.", "mg_per_kg",
        )  # fmt: skip
    infusion.mg_per_kg = mg_per_kg
    _clear_dose(infusion)
    infusion.save()
    _audit("infusion.titrate", infusion, by, mg_per_kg=str(mg_per_kg))
    return infusion


def _clear_dose(infusion: Infusion) -> None:
    """A changed order or dose needs the dose prepared and checked again."""
    infusion.stage = Stage.CHECKED
    infusion.dose_mg = infusion.drawn_ml = infusion.total_ml = infusion.rate_ml_per_h = None
    infusion.verified_by = infusion.verified_at = None


def _vial_problem(vial: Vial, infusion: Infusion) -> str | None:
    """Why this vial cannot be drawn from for this infusion today, or None."""
    if vial.location_id != infusion.location_id:
        return controlled.NOT_HERE
    return dating.unusable_reason(
        vial.expires_on, controlled.opened_on(vial), vial.location.local_now().date(),
        settings.OPENED_VIAL_DAYS, show=dates.day,
    )  # fmt: skip


def _available_ml(vial: Vial, infusion: Infusion) -> Decimal:
    """What the vial's ledger holds (the vial row is locked by the caller), less what
    other infusions running from it have drawn and the log records only at their stop."""
    last = vial.movements.order_by("-seq").values_list("balance_after_ml", flat=True).first()
    held = (
        Infusion.objects.filter(vial=vial, stage__in=(Stage.RUNNING, Stage.PAUSED))
        .exclude(pk=infusion.pk)
        .values_list("drawn_ml", flat=True)
    )
    # Through str: SQLite hands decimals back through a float (controlled.models.settled).
    total = sum((Decimal(str(ml)) for ml in held if ml is not None), Decimal(0))
    return (Decimal(str(last or 0)) - total).quantize(Decimal("0.01"))


@transaction.atomic
def prepare_dose(infusion: Infusion, *, by: User, vial: Vial) -> Infusion:
    """The first clinician's calculation, from the weight measured at the check and the
    vial chosen from the controlled-substance log (its concentration, lot and NDC are the
    vial's). Preparing again (another vial) needs a fresh double check."""
    infusion = _locked(infusion)
    if infusion.stage not in (Stage.CHECKED, Stage.PREPARED, Stage.VERIFIED):
        raise Refused("The dose can only be prepared after the check and before the start.")
    order = order_for(infusion.appointment)
    if order is None:
        raise Refused(NO_ORDER)
    # The vial's row is locked until commit (as at the start), so a start drawing from
    # it meanwhile is either counted here or waits for this preparation to finish.
    # Only the vial's row (not its location's: see controlled.actions.receive_stock).
    vial = Vial.objects.select_for_update(of=("self",)).select_related("location").get(pk=vial.pk)
    if problem := _vial_problem(vial, infusion):
        raise Refused(problem, "vial")
    if order.pk != infusion.order_id:  # a new version was signed since the check
        infusion.order, infusion.mg_per_kg, infusion.minutes = order, order.mg_per_kg, order.minutes
    dose = _calculate(infusion, infusion.weight_kg, vial.concentration_mg_per_ml)
    left = _available_ml(vial, infusion)
    if dose.drawn_ml > left:
        raise Refused(
            f"Only {left} mL is left in vial {vial.number} (counting what running infusions "
            f"have drawn from it), so the {dose.drawn_ml} mL this dose needs cannot be drawn "
            "from it. Please choose another vial.", "vial",
        )  # fmt: skip
    _clear_dose(infusion)
    infusion.stage = Stage.PREPARED
    infusion.vial = vial
    infusion.concentration_mg_per_ml = vial.concentration_mg_per_ml
    infusion.lot, infusion.ndc = vial.lot, vial.ndc
    infusion.dose_mg, infusion.drawn_ml = dose.dose_mg, dose.drawn_ml
    infusion.total_ml, infusion.rate_ml_per_h = dose.total_ml, dose.rate_ml_per_h
    infusion.save()
    _check_row(infusion, DoseCheck.Kind.PREPARE, by, dose)
    _audit("infusion.prepare", infusion, by, dose_mg=str(dose.dose_mg), vial=vial.pk)
    return infusion


def _check_row(infusion: Infusion, kind: str, by: User, dose: dosing.Dose, **extra: Any) -> None:
    DoseCheck.objects.create(
        infusion=infusion, kind=kind, by=by, at=timezone.now(), weight_kg=dose.weight_kg,
        concentration_mg_per_ml=dose.concentration_mg_per_ml, mg_per_kg=dose.mg_per_kg,
        dose_mg=dose.dose_mg, drawn_ml=dose.drawn_ml, rate_ml_per_h=dose.rate_ml_per_h, **extra,
    )  # fmt: skip


def preparer(infusion: Infusion) -> User | None:
    last = (
        infusion.dose_checks.filter(kind=DoseCheck.Kind.PREPARE)
        .select_related("by")
        .order_by("-at", "-id")
        .first()
    )
    return last.by if last else None


def _prepared_dose(infusion: Infusion) -> dosing.Dose:
    """The dose as the record holds it; every prepared (or running) infusion holds one."""
    concentration, dose_mg = infusion.concentration_mg_per_ml, infusion.dose_mg
    drawn_ml, total_ml, rate = infusion.drawn_ml, infusion.total_ml, infusion.rate_ml_per_h
    if (
        concentration is None or dose_mg is None or drawn_ml is None or total_ml is None
        or rate is None
    ):  # fmt: skip
        raise Refused("There is no prepared dose on this record.")
    return dosing.Dose(
        infusion.weight_kg, infusion.mg_per_kg, concentration, infusion.minutes,
        dose_mg, drawn_ml, total_ml, rate,
    )  # fmt: skip


@transaction.atomic
def verify_dose(
    infusion: Infusion, *, by: User, weight_kg: Decimal, concentration: Decimal
) -> list[str]:
    """A second clinician's own calculation, from the weight and vial they read
    themselves (CLINICAL.md §9.2 [B2]). Returns what differs: empty means verified; a
    disagreement is kept (the check happened) and the dose stays unverified."""
    infusion = _locked(infusion)
    if infusion.stage != Stage.PREPARED:
        raise Refused("There is no prepared dose waiting for a check.")
    first = preparer(infusion)
    if first is not None and first.pk == by.pk:
        raise Refused(
            "You prepared this dose, so the independent check must be made by another "
            "nurse or prescriber."
        )
    dose = _calculate(infusion, weight_kg, concentration)
    prepared = _prepared_dose(infusion)
    differences = dosing.disagreements(prepared, dose)
    _check_row(infusion, DoseCheck.Kind.VERIFY, by, dose, agreed=not differences,
               differences=differences)  # fmt: skip
    if not differences:
        infusion.stage = Stage.VERIFIED
        infusion.verified_by, infusion.verified_at = by, timezone.now()
        infusion.save()
    _audit("infusion.verify", infusion, by, agreed=not differences, differences=differences)
    return differences


# Starting and stopping.


_LOOK_UP: Any = object()


def blockers(infusion: Infusion, order: InfusionOrder | None = _LOOK_UP) -> list[str]:
    """What stands between this infusion and its start, in words (empty: it may start).
    `order` is the order in force (order_for), when the caller has read it already."""
    found = []
    if order is _LOOK_UP:
        order = order_for(infusion.appointment)
    if order is None:
        found.append(NO_ORDER)
    elif order.pk != infusion.order_id:
        found.append(
            "A new version of the order was signed: please prepare and check the dose again."
        )
    if SafetyAlert.objects.open().filter(patient_id=infusion.patient_id).exists():
        found.append("This patient has an open safety alert. A clinician must close it first.")
    if not infusion.patient.consented_to(Consent.Kind.TREATMENT):
        found.append("There is no treatment consent in force.")
    if infusion.stage == Stage.ON_HOLD:
        found.append(f"On hold until a prescriber decides: {infusion.hold_reason}.")
    elif infusion.stage == Stage.NOT_GIVEN:
        found.append("A prescriber decided not to give the infusion today.")
    elif infusion.stage in (Stage.CHECKED, Stage.PREPARED):
        found.append("The dose has not passed its independent double check yet.")
    return found


def _walk_appointment(appointment: Appointment, to: Status, by: User) -> None:
    """Move the schedule's status along with the infusion (checked in → in chair → …)."""
    path = [Status.CHECKED_IN, Status.IN_CHAIR, Status.RECOVERING, Status.DONE]
    appointment = Appointment.objects.get(pk=appointment.pk)
    for status in path[: path.index(to) + 1]:
        if status in schedule.NEXT.get(Status(appointment.status), set()):
            try:
                appointment = schedule.change_status(appointment, status, by=by)
            except schedule.Refused as refused:
                raise Refused(str(refused)) from refused


@transaction.atomic
def start(infusion: Infusion, *, by: User) -> Infusion:
    infusion = _locked(infusion)
    if infusion.stage != Stage.VERIFIED or infusion.started_at:
        found = blockers(infusion) or ["This infusion has started already."]
        raise Refused(" ".join(found))
    found = blockers(infusion)
    if found:
        raise Refused(" ".join(found))
    _hold_draw(infusion)
    now = timezone.now()
    infusion.stage, infusion.started_at = Stage.RUNNING, now
    infusion.next_vitals_due_at = now + dt.timedelta(
        minutes=settings.INFUSION_VITALS_DURING_MINUTES
    )
    infusion.save()
    InfusionEvent.objects.create(infusion=infusion, kind="start", at=now, by=by)
    _walk_appointment(infusion.appointment, Status.IN_CHAIR, by)
    _audit("infusion.start", infusion, by)
    return infusion


def _hold_draw(infusion: Infusion) -> None:
    """At the start: the vial (locked until commit, so two chairs drawing from it take
    turns) must still be usable and hold the dose drawn, counting what other running
    infusions have drawn from it. The log records the draw at the stop, when what was
    given is known (record_controlled_draw)."""
    if infusion.vial_id is None:
        raise Refused("Please prepare the dose again, choosing the vial from the log.")
    vial = (
        Vial.objects.select_for_update(of=("self",))
        .select_related("location")
        .get(pk=infusion.vial_id)
    )
    if problem := _vial_problem(vial, infusion):
        raise Refused(problem)
    drawn, left = infusion.drawn_ml, _available_ml(vial, infusion)
    if drawn is None or drawn > left:
        raise Refused(
            f"Only {left} mL is left in vial {vial.number}, so {drawn} mL cannot be drawn "
            "from it. Please prepare the dose again with another vial."
        )


WASTE_NEEDS_WITNESS = (
    "{wasted} mL of the dose drawn is left over to waste, so a second nurse or prescriber "
    "must witness it. Please choose the witness."
)
WASTE_NEEDS_CODE = (
    "The witness confirms the waste with their own six-digit code. Please ask them to type it."
)


def record_controlled_draw(
    infusion: Infusion, *, by: User, drawn_by: User | None = None, witness: User | None = None,
    witness_confirmed: bool = False,
) -> None:  # fmt: skip
    """Record this infusion's administration in the controlled-substance log, at the stop
    (inside its transaction): drawn from the prepared vial by `drawn_by` (by default the
    clinician who prepared the dose), given in proportion to the volume infused (as
    given_mg), the rest wasted.

    A waste is witnessed by a second clinician who confirmed with their own code
    (`witness_confirmed`: the stop form checked it, outside this transaction so a wrong
    code's throttle holds). With nothing wasted there is nothing to witness; the second
    clinician of the double check, who saw the dose drawn, is named on the draw. Records
    made before the log was joined (no vial) record nothing. A refusal of the log saves
    nothing and names the field."""
    if infusion.vial_id is None:
        return
    prepared = _prepared_dose(infusion)
    infused = infusion.infused_ml if infusion.infused_ml is not None else Decimal(0)
    given = (prepared.drawn_ml * infused / prepared.total_ml).quantize(Decimal("0.01"))
    wasted = prepared.drawn_ml - given
    drawer = drawn_by or preparer(infusion) or by
    if wasted > 0:
        if witness is None:
            raise Refused(WASTE_NEEDS_WITNESS.format(wasted=wasted), "witness")
        if not witness_confirmed:
            raise Refused(WASTE_NEEDS_CODE, "witness_code")
    elif witness is None or not witness_confirmed:
        witness = infusion.verified_by
        if witness is not None and witness.pk == drawer.pk:
            witness = None
    if witness is not None and witness.pk == drawer.pk:
        raise Refused(
            "The witness must be someone other than the person who drew the dose.", "witness"
        )
    vial = Vial.objects.get(pk=infusion.vial_id)
    try:
        controlled.record_administration(
            vial=vial, drawn_ml=prepared.drawn_ml, given_ml=given, wasted_ml=wasted, by=drawer,
            witness=witness, appointment_id=infusion.appointment_id,
            patient_id=infusion.patient_id,
        )  # fmt: skip
    except controlled.Refused as refused:
        fields = {
            "drawn_ml": "infused_ml", "given_ml": "infused_ml", "wasted_ml": "infused_ml",
            "witness": "witness",
        }  # fmt: skip
        field = next((fields[k] for k in refused.errors if k in fields), None)
        raise Refused(
            "The controlled-substance log refused this draw, so nothing was saved: "
            + " ".join(refused.errors.values()), field,
        ) from refused  # fmt: skip


@transaction.atomic
def pause(infusion: Infusion, *, by: User, reason: str) -> Infusion:
    return _pause_or_resume(infusion, by, reason, Stage.RUNNING, Stage.PAUSED, "pause")


@transaction.atomic
def resume(infusion: Infusion, *, by: User, reason: str) -> Infusion:
    return _pause_or_resume(infusion, by, reason, Stage.PAUSED, Stage.RUNNING, "resume")


def _pause_or_resume(
    infusion: Infusion, by: User, reason: str, before: str, after: str, kind: str
) -> Infusion:
    infusion = _locked(infusion)
    if infusion.stage != before:
        raise Refused(f"The infusion is not {Stage(before).label.lower()}.")
    infusion.stage = after
    infusion.save()
    InfusionEvent.objects.create(
        infusion=infusion, kind=kind, at=timezone.now(), by=by, reason=reason
    )
    _audit(f"infusion.{kind}", infusion, by)
    return infusion


@transaction.atomic
def stop(
    infusion: Infusion, *, by: User, reason: str, note: str, infused_ml: Decimal,
    drawn_by: User | None = None, witness: User | None = None, witness_confirmed: bool = False,
) -> Infusion:  # fmt: skip
    """Stop the pump; the amount given is worked out from the volume the pump infused, and
    the draw is recorded in the controlled-substance log (record_controlled_draw)."""
    infusion = _locked(infusion)
    if not infusion.is_running:
        raise Refused("The infusion is not running.")
    prepared = _prepared_dose(infusion)
    if infused_ml > prepared.total_ml:
        raise Refused(
            f"The bag or syringe held {prepared.total_ml} mL, so {infused_ml} mL cannot have "
            "been infused. Please read the pump again.", "infused_ml",
        )  # fmt: skip
    now = timezone.now()
    infusion.stage, infusion.stopped_at = Stage.RECOVERING, now
    infusion.stop_reason, infusion.stop_note, infusion.infused_ml = reason, note, infused_ml
    infusion.given_mg = (infused_ml * prepared.dose_mg / prepared.total_ml).quantize(
        Decimal("0.01")
    )
    infusion.next_vitals_due_at = now + dt.timedelta(minutes=settings.INFUSION_VITALS_AFTER_MINUTES)
    infusion.save()
    record_controlled_draw(
        infusion, by=by, drawn_by=drawn_by, witness=witness, witness_confirmed=witness_confirmed
    )
    InfusionEvent.objects.create(
        infusion=infusion, kind="stop", at=now, by=by, reason=note or reason
    )
    _walk_appointment(infusion.appointment, Status.RECOVERING, by)
    _audit("infusion.stop", infusion, by, reason=reason, given_mg=str(infusion.given_mg))
    return infusion


# Vital signs, chairside alerts and adverse events.


def _add_vitals(
    infusion: Infusion, values: dict[str, Any], *, by: User, taken_at: dt.datetime, phase: str,
    cadss: int | None = None,
) -> VitalSigns:  # fmt: skip
    reading = VitalSigns.objects.create(
        infusion=infusion, phase=phase, taken_at=taken_at, recorded_by=by, cadss=cadss
    )
    Observation.objects.bulk_create(
        Observation(vital_signs=reading, code=m.loinc, value=values[key], unit=m.ucum)
        for key, m in vitals.MEASURES.items()
        if values.get(key) is not None
    )
    return reading


def _phase(infusion: Infusion) -> str:
    if infusion.started_at is None:
        return VitalSigns.Phase.BASELINE
    return VitalSigns.Phase.AFTER if infusion.stopped_at else VitalSigns.Phase.DURING


@transaction.atomic
def record_vitals(
    infusion: Infusion, *, by: User, values: dict[str, Any], cadss: int | None = None
) -> tuple[VitalSigns, ChairsideAlert | None]:
    """Add a set of vital signs (never changing another's); a value outside the clinic's
    limits raises a chairside alert and tells the prescribers on site at once, by e-mail
    and text, again until one acknowledges it (alerting.py)."""
    infusion = _locked(infusion)
    if infusion.stage == Stage.READY:
        raise Refused("The patient has been discharged.")
    now = timezone.now()
    reading = _add_vitals(
        infusion, values, by=by, taken_at=now, phase=_phase(infusion), cadss=cadss
    )
    if infusion.started_at:
        infusion.next_vitals_due_at = vitals.next_due(
            started_at=infusion.started_at, stopped_at=infusion.stopped_at, last_taken_at=now,
            during=settings.INFUSION_VITALS_DURING_MINUTES,
            after=settings.INFUSION_VITALS_AFTER_MINUTES,
        )  # fmt: skip
        infusion.save(update_fields=["next_vitals_due_at", "updated_at"])
    reasons = vitals.out_of_limits(values, rules.limits())
    alert = None
    if reasons:
        alert = ChairsideAlert.objects.create(
            infusion=infusion, location_id=infusion.location_id, vital_signs=reading,
            reasons=reasons, raised_at=now,
        )  # fmt: skip
        alerting.send_round(alert, now)
    _audit("infusion.vitals", infusion, by, reading=reading.pk, alert=bool(alert))
    return reading, alert


@transaction.atomic
def acknowledge_alert(alert: ChairsideAlert, *, by: User, action_taken: str) -> ChairsideAlert:
    alert = ChairsideAlert.objects.select_for_update().get(pk=alert.pk)
    if by.role != Role.PRESCRIBER:
        raise Refused("A prescriber acknowledges a chairside alert.")
    if alert.acknowledged_at:
        raise Refused("This alert was acknowledged already.")
    alert.acknowledged_by, alert.acknowledged_at = by, timezone.now()
    alert.action_taken = action_taken
    alert.next_round_at = None  # the repeats stop
    alert.save()
    alert.messages.filter(status=ChairsideMessage.Status.PENDING).update(
        status=ChairsideMessage.Status.CANCELLED
    )
    _audit("chairside_alert.acknowledge", alert.infusion, by, alert=alert.pk)
    return alert


@transaction.atomic
def record_adverse_event(infusion: Infusion, event: AdverseEvent, *, by: User) -> AdverseEvent:
    infusion = _locked(infusion)
    event.infusion, event.recorded_by, event.recorded_at = infusion, by, timezone.now()
    event.save()
    _audit("infusion.adverse_event", infusion, by, kind=event.kind, severity=event.severity)
    return event


# Discharge.


def near_baseline(infusion: Infusion, readings: list[VitalSigns]) -> bool:
    """The latest blood pressure and heart rate within the clinic's range of baseline."""
    baseline = next((r for r in readings if r.phase == VitalSigns.Phase.BASELINE), None)
    latest = next((r for r in reversed(readings) if r.phase != VitalSigns.Phase.BASELINE), None)
    if baseline is None or latest is None:
        return False
    percent = settings.INFUSION_BASELINE_RANGE_PERCENT
    for key in ("systolic", "diastolic", "heart_rate"):
        before, now = baseline.value(key), latest.value(key)
        if before is None or now is None or not vitals.within_baseline(before, now, percent):
            return False
    return True


@transaction.atomic
def discharge(
    infusion: Infusion, *, by: User, answers: dict[str, int], escort_present: bool
) -> Infusion:
    """Discharge against the clinic's criteria: its score (if it uses one), vital signs
    back near baseline, and the named escort present."""
    infusion = _locked(infusion)
    if infusion.stage != Stage.RECOVERING:
        raise Refused("Only a patient recovering after an infusion can be discharged.")
    system = settings.INFUSION_DISCHARGE_SCORE
    total = recovery.score(system, answers) if system != recovery.NONE else None
    if total is not None and not recovery.passes(
        system, total, settings.INFUSION_DISCHARGE_PASS_MARK
    ):
        raise Refused(
            f"The {recovery.NAMES[system]} is {total}; the clinic discharges at "
            f"{settings.INFUSION_DISCHARGE_PASS_MARK} or more. Please wait and score again."
        )
    readings = list(infusion.vital_signs.prefetch_related("observations"))
    if not near_baseline(infusion, readings):
        raise Refused(
            "The latest blood pressure and heart rate are not yet within "
            f"{settings.INFUSION_BASELINE_RANGE_PERCENT}% of the patient's baseline. Please "
            "record another set of vital signs when they settle."
        )
    if not escort_present:
        raise Refused(
            f"The patient may leave only with their escort ({infusion.escort_name}). "
            "Please confirm the escort is here.", "escort_present",
        )  # fmt: skip
    infusion.stage = Stage.READY
    infusion.discharge_score_system, infusion.discharge_answers = system, answers
    infusion.discharge_score, infusion.vitals_near_baseline = total, True
    infusion.escort_present = True
    infusion.discharged_by, infusion.discharged_at = by, timezone.now()
    infusion.next_vitals_due_at = None
    infusion.save()
    _walk_appointment(infusion.appointment, Status.DONE, by)
    _audit("infusion.discharge", infusion, by, score=total)
    return infusion
