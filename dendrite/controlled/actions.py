"""Every write to the controlled-substance log. Each action runs in one transaction,
locks the vial it moves (so two people drawing from one vial at once take turns and
neither can overdraw it), writes the ledger line with the vial's balance after it, and
writes its audit entry. Nothing is ever changed afterwards (models.py).

Interface for the infusion record (dendrite/infusions):

    movement = record_administration(
        vial=vial, drawn_ml=Decimal("2.80"), given_ml=Decimal("2.50"),
        wasted_ml=Decimal("0.30"), by=nurse, witness=second_clinician,
        appointment_id=appointment.pk, patient_id=patient.pk,
    )

Amounts are Decimal millilitres to the hundredth (a float is refused). It raises
Refused, whose `errors` maps each field name (drawn_ml, given_ml, wasted_ml, witness,
vial, appointment_id, patient_id) to a sentence for the person at the chair, and saves
nothing. The witness is another nurse or prescriber at the vial's location; the caller
must have confirmed that it is them (for example their own six-digit code, as
`confirm_witness` does). A witness is required whenever something is wasted (a
two-person waste is institutional practice rather than a DEA rule, CLINICAL.md §8.7,
and what this clinic does); with nothing wasted, `witness` may be None.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from dendrite import dates
from dendrite.accounts import mfa
from dendrite.accounts.models import CLINICAL_ROLES, User
from dendrite.audit.log import record
from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Location
from dendrite.scheduling.models import Appointment

from . import balances, dating
from .models import Count, CountLine, Movement, Receipt, Vial

ALL = "__all__"
BUSY = (
    "Someone else recorded a movement of this vial at the same moment, so nothing was "
    "saved. Please look at its balance and try again."
)
NOT_ENOUGH = "Only {left} mL is left in this vial, so {asked} mL cannot be taken from it."
NOT_HERE = "That vial is not kept at this location."
WITNESS_NEEDED = "Something was wasted, so a second nurse or prescriber must witness it."
WITNESS_SELF = "The witness must be someone other than you."
WITNESS_NOT_HERE = "The witness must be a nurse or prescriber who works at this location."
WITNESS_CODE = "That code did not work for the witness. Please ask them for their newest code."
NOT_A_DECIMAL = "Please enter a number of millilitres, for example 2.5."


class Refused(Exception):
    """Nothing was saved; `errors` says why, per field (ALL for the form as a whole)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _decimal(field: str, value: Any) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise Refused({field: NOT_A_DECIMAL})
    return value


def witness_problem(witness: User | None, by: User, location_id: int) -> str | None:
    if witness is None:
        return None
    if witness.pk == by.pk:
        return WITNESS_SELF
    if not (witness.is_active and witness.role in CLINICAL_ROLES and witness.works_at(location_id)):
        return WITNESS_NOT_HERE
    return None


def confirm_witness(witness: User, code: str) -> bool:
    """The witness proves they are there with their own code (audited either way)."""
    code = "".join(code.split()).replace("-", "").lower()
    if code and mfa.verify_code(witness, code) is not None:
        record("controlled.witness.confirmed", user=witness, obj=witness)
        return True
    record(
        "controlled.witness.failed", user=witness, obj=witness,
        outcome=AuditEvent.Outcome.FAILURE,
    )  # fmt: skip
    return False


def _locked(vial: Vial) -> tuple[Vial, int, Decimal]:
    """The vial, held until commit, with its last line number and balance."""
    vial = Vial.objects.select_for_update().get(pk=vial.pk)
    last = (
        Movement.objects.filter(vial=vial)
        .order_by("-seq")
        .values("seq", "balance_after_ml")
        .first()
    )
    if last is None:
        return vial, 0, balances.ZERO
    return vial, last["seq"], last["balance_after_ml"]


def _append(vial: Vial, seq: int, left: Decimal, change: Decimal, **fields: Any) -> Movement:
    now = timezone.now()
    movement = Movement(
        location_id=vial.location_id, vial=vial, seq=seq + 1, change_ml=change,
        balance_after_ml=left + change, recorded_at=now, **{"at": now, **fields},
    )  # fmt: skip
    try:
        with transaction.atomic():
            movement.save()
    except IntegrityError as clash:  # another writer took this line number: refuse, do not guess
        raise Refused({ALL: BUSY}) from clash
    return movement


def _audit(movement: Movement, by: User, **detail: Any) -> None:
    record(
        f"controlled.movement.{movement.kind}", user=by, obj=movement,
        patient_id=movement.patient_id or "",
        detail={"vial": movement.vial_id, "change_ml": str(movement.change_ml), **detail},
    )  # fmt: skip


def opened_on(vial: Vial) -> dt.date | None:
    first = vial.movements.filter(kind=Movement.Kind.ADMINISTERED).order_by("seq").first()
    return first.at.astimezone(vial.location.tz).date() if first else None


@transaction.atomic
def record_administration(
    *,
    vial: Vial,
    drawn_ml: Decimal,
    given_ml: Decimal,
    wasted_ml: Decimal,
    by: User,
    witness: User | None,
    appointment_id: int,
    patient_id: int,
) -> Movement:
    """Draw from a vial for one infusion; the remainder of what was drawn is wasted."""
    volumes = {"drawn_ml": drawn_ml, "given_ml": given_ml, "wasted_ml": wasted_ml}
    for field, value in volumes.items():
        _decimal(field, value)
    errors = balances.administration_problems(drawn_ml, given_ml, wasted_ml)
    vial, seq, left = _locked(vial)
    location = vial.location
    if not by.works_at(location.pk) or by.role not in CLINICAL_ROLES:
        errors[ALL] = "Only a nurse or prescriber of this location may draw from its vials."
    appointment = Appointment.objects.filter(pk=appointment_id).first()
    if appointment is None or appointment.location_id != location.pk:
        errors["appointment_id"] = "That appointment is not at this vial's location."
    elif appointment.patient_id != patient_id:
        errors["patient_id"] = "That patient is not the one on the appointment."
    if reason := dating.unusable_reason(
        vial.expires_on,
        opened_on(vial),
        location.local_now().date(),
        settings.OPENED_VIAL_DAYS,
        show=dates.day,
    ):
        errors["vial"] = reason
    elif "drawn_ml" not in errors and drawn_ml > left:
        errors["drawn_ml"] = NOT_ENOUGH.format(left=left, asked=drawn_ml)
    if wasted_ml > 0 and witness is None:
        errors["witness"] = WITNESS_NEEDED
    elif problem := witness_problem(witness, by, location.pk):
        errors["witness"] = problem
    if errors:
        raise Refused(errors)
    movement = _append(
        vial, seq, left, -drawn_ml, kind=Movement.Kind.ADMINISTERED, by=by, witness=witness,
        drawn_ml=drawn_ml, given_ml=given_ml, wasted_ml=wasted_ml,
        appointment_id=appointment_id, patient_id=patient_id,
    )  # fmt: skip
    _audit(movement, by, appointment=appointment_id, wasted_ml=str(wasted_ml))
    return movement


@transaction.atomic
def receive_stock(
    *,
    location: Location,
    by: User,
    received_on: dt.date,
    supplier_name: str,
    supplier_address: str,
    supplier_dea_number: str,
    invoice_number: str,
    vials: int,
    ndc: str,
    lot: str,
    expires_on: dt.date,
    concentration_mg_per_ml: Decimal,
    volume_ml: Decimal,
    stored_in: str = "",
    note: str = "",
) -> Receipt:
    """Stock as it arrived against one invoice: `vials` containers of one product and lot,
    each numbered at the location and entered in the ledger with its full volume."""
    # Vial numbers take turns. FOR NO KEY UPDATE: rows that refer to the location (a lead,
    # an appointment) are still inserted meanwhile, so no deadlock with the audit chain.
    Location.objects.select_for_update(no_key=True).get(pk=location.pk)
    receipt = Receipt(
        location=location, received_on=received_on, supplier_name=supplier_name,
        supplier_address=supplier_address, supplier_dea_number=supplier_dea_number,
        invoice_number=invoice_number, received_by=by, recorded_at=timezone.now(), note=note,
    )  # fmt: skip
    receipt.save()
    last = Vial.objects.filter(location=location).order_by("-number").first()
    number = last.number if last else 0
    received_at = timezone.now()
    for _ in range(vials):
        number += 1
        vial = Vial(
            location=location, receipt=receipt, number=number, ndc=ndc, lot=lot,
            expires_on=expires_on, concentration_mg_per_ml=concentration_mg_per_ml,
            volume_ml=volume_ml, stored_in=stored_in,
        )  # fmt: skip
        vial.save()
        _append(
            vial, 0, balances.ZERO, volume_ml, kind=Movement.Kind.RECEIVED, by=by,
            at=received_at, reference=f"Invoice {invoice_number}",
        )  # fmt: skip
    record(
        "controlled.receipt.create", user=by, obj=receipt,
        detail={"vials": vials, "volume_ml": str(volume_ml)},
    )  # fmt: skip
    return receipt


@transaction.atomic
def dispose_of_vial(
    *,
    vial: Vial,
    kind: str,
    method: str,
    reference: str,
    witness: User | None,
    by: User,
    note: str = "",
) -> Movement:
    """Take what is left of a vial out of stock: disposed of (reverse distributor or
    destroyed on site, CLINICAL.md §8.7 [A36][A15]) or returned to the supplier. A second
    employee witnesses a disposal (Form 41 has two witness lines)."""
    if kind not in (Movement.Kind.DISPOSED, Movement.Kind.RETURNED):
        raise Refused({"kind": "Please choose how the vial leaves the stock."})
    vial, seq, left = _locked(vial)
    errors = {}
    if left <= 0:
        errors[ALL] = "This vial is already empty, so there is nothing to dispose of."
    if kind == Movement.Kind.DISPOSED and witness is None:
        errors["witness"] = "A disposal is witnessed by a second nurse or prescriber."
    elif problem := witness_problem(witness, by, vial.location_id):
        errors["witness"] = problem
    if errors:
        raise Refused(errors)
    movement = _append(
        vial, seq, left, -left, kind=kind, by=by, witness=witness, method=method,
        reference=reference, note=note,
    )  # fmt: skip
    _audit(movement, by)
    return movement


@transaction.atomic
def record_loss(
    *, vial: Vial, volume_ml: Decimal, discovered_at: dt.datetime, description: str, by: User
) -> Movement:
    """A theft or loss found: the volume leaves the vial's balance. The DEA is told in
    writing within one business day and Form 106 filed within 45 days (CLINICAL.md §8.8);
    the screen says so, the log records that the loss was found."""
    _decimal("volume_ml", volume_ml)
    vial, seq, left = _locked(vial)
    if volume_ml <= 0 or volume_ml != balances.to_ml(volume_ml):
        raise Refused({"volume_ml": "Enter the volume lost, more than 0 mL, to a hundredth."})
    if volume_ml > left:
        raise Refused({"volume_ml": NOT_ENOUGH.format(left=left, asked=volume_ml)})
    movement = _append(
        vial, seq, left, -volume_ml, kind=Movement.Kind.LOST, by=by, at=discovered_at,
        note=description,
    )  # fmt: skip
    _audit(movement, by)
    return movement


@transaction.atomic
def record_count(
    *,
    location: Location,
    kind: str,
    timing: str,
    counted: dict[int, tuple[Decimal, bool]],
    explanation: str,
    by: User,
) -> Count:
    """A signed count of every vial in stock at the location (the caller has checked the
    taker's own code). Each difference from the ledger is explained and becomes an
    adjustment line, so the book balance equals what was found."""
    in_stock = list(
        Vial.objects.in_stock().filter(location=location).order_by("pk").select_for_update()
    )
    expected = {vial.pk: balances.to_ml(vial.balance_ml) for vial in in_stock}
    if set(counted) != set(expected):
        raise Refused({ALL: "The stock changed while you were counting. Please count again."})
    found = {pk: volume for pk, (volume, _) in counted.items()}
    for volume in found.values():
        _decimal("counted", volume)
        if volume < 0 or volume != balances.to_ml(volume):
            raise Refused({ALL: "Each measured volume is 0 mL or more, to a hundredth."})
    result = balances.reconcile(expected, found)
    if result.has_discrepancy and not explanation.strip():
        raise Refused(
            {"explanation": "The count differs from the log. Please explain the difference."}
        )
    now = timezone.now()
    count = Count(
        location=location, kind=kind, timing=timing, taken_at=now, by=by, signed_at=now,
        expected_ml=result.expected_ml, counted_ml=result.counted_ml,
        has_discrepancy=result.has_discrepancy, explanation=explanation.strip(),
    )  # fmt: skip
    count.save()
    vials = {vial.pk: vial for vial in in_stock}
    for line in result.lines:
        CountLine(
            count=count, vial_id=line.vial_id, expected_ml=line.expected_ml,
            counted_ml=line.counted_ml, estimated=counted.get(line.vial_id, (0, False))[1],
        ).save()  # fmt: skip
        if line.difference_ml:
            vial, seq, left = _locked(vials[line.vial_id])
            _append(
                vial, seq, left, line.difference_ml, kind=Movement.Kind.ADJUSTED, by=by,
                count=count, note=count.explanation,
            )  # fmt: skip
    record(
        "controlled.count.create", user=by, obj=count,
        detail={"kind": kind, "discrepancies": len(result.discrepancies)},
    )  # fmt: skip
    return count
