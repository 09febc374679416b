"""The controlled-substance cast, on top of the shared one (dendrite/conftest.py).

Boston keeps two vials of ketamine 50 mg/mL × 10 mL (500 mg each), received on one
invoice; West Hartford keeps one. `nurse` and `prescriber` work at Boston and witness
for each other; `prescriber_hartford` works at West Hartford only. Alice has an
infusion at Boston, Charlie one at West Hartford.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from dendrite.clinics.models import Location
from dendrite.controlled import actions
from dendrite.controlled.models import Receipt, Vial
from dendrite.scheduling.models import Appointment, AppointmentType, Kind

D = Decimal


def receive(location: Location, by: Any, vials: int = 2, **extra: Any) -> Receipt:
    fields = {
        "received_on": timezone.localdate(),
        "supplier_name": "Example Pharma Supply",
        "supplier_address": "1 Warehouse Way, Memphis, TN 38118",
        "supplier_dea_number": "RX1234563",
        "invoice_number": "INV-1001",
        "vials": vials,
        "ndc": "0409-2051-05",
        "lot": "AB1234",
        "expires_on": timezone.localdate() + dt.timedelta(days=365),
        "concentration_mg_per_ml": D("50"),
        "volume_ml": D("10"),
    } | extra
    return actions.receive_stock(location=location, by=by, **fields)


def infusion_for(patient: Any, staff: Any) -> Appointment:
    appointment_type = AppointmentType.objects.get(location=patient.location, kind=Kind.INFUSION)
    starts_at = timezone.now() + dt.timedelta(hours=1)
    return Appointment.objects.create(
        patient=patient, location=patient.location, appointment_type=appointment_type,
        staff=staff, chair=patient.location.chairs.first(), starts_at=starts_at,
        staff_ends_at=starts_at + dt.timedelta(minutes=40),
        ends_at=starts_at + dt.timedelta(minutes=100), booked_by=staff,
    )  # fmt: skip


def administer(vial: Vial, appointment: Appointment, by: Any, witness: Any, **volumes: Any):
    amounts = {"drawn_ml": D("2.80"), "given_ml": D("2.50"), "wasted_ml": D("0.30")} | volumes
    return actions.record_administration(
        vial=vial, by=by, witness=witness, appointment_id=appointment.pk,
        patient_id=appointment.patient_id, **amounts,
    )  # fmt: skip


@pytest.fixture
def boston_vials(boston: Location, nurse: Any) -> list[Vial]:
    receipt = receive(boston, nurse)
    return list(receipt.vials.order_by("number"))


@pytest.fixture
def hartford_vial(hartford: Location, prescriber_hartford: Any) -> Vial:
    return receive(hartford, prescriber_hartford, vials=1).vials.get()


@pytest.fixture
def alice_infusion(alice: Any, nurse: Any) -> Appointment:
    return infusion_for(alice, nurse)


@pytest.fixture
def charlie_infusion(charlie: Any, prescriber_hartford: Any) -> Appointment:
    return infusion_for(charlie, prescriber_hartford)
