"""The infusion cast, on top of the shared one (dendrite/conftest.py) and scheduling's.

Time stands still on Monday 7 December 2026 at 09:00 in Boston (14:00 UTC). Alice has an
infusion at 09:00 in Chair 1 with `nurse`; she has given treatment consent and her
history is signed off. `nurse_two` is a second Boston nurse for the double check.
Charlie's visit is at West Hartford, where only prescriber_hartford may record.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from dendrite.accounts.models import Role
from dendrite.conftest import make_user
from dendrite.controlled.tests.conftest import receive
from dendrite.infusions import actions
from dendrite.scheduling.models import Kind
from dendrite.scheduling.tests.conftest import clear_for_infusions, make_appointment

NOW = dt.datetime(2026, 12, 7, 14, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def nurse_two(boston):
    return make_user("nina_nurse", Role.NURSE, boston)


@pytest.fixture
def visit(alice, nurse):
    clear_for_infusions(alice, nurse)
    return make_appointment(alice, Kind.INFUSION, NOW, nurse)


@pytest.fixture
def charlie_visit(charlie, prescriber_hartford):
    clear_for_infusions(charlie, prescriber_hartford)
    return make_appointment(charlie, Kind.INFUSION, NOW, prescriber_hartford)


def sign(appointment, prescriber, **extra: Any):
    values = {"mg_per_kg": Decimal("0.5"), "minutes": 40} | extra
    return actions.sign_order(
        appointment.patient, by=prescriber, appointments=[appointment], **values
    )


@pytest.fixture
def order(visit, prescriber):
    return sign(visit, prescriber)


GOOD_VITALS = {
    "systolic": Decimal(122),
    "diastolic": Decimal(78),
    "heart_rate": Decimal(72),
    "spo2": Decimal(98),
    "resp_rate": Decimal(14),
    "temperature": None,
}


def check_data(**extra: Any) -> dict[str, Any]:
    return (
        {
            "identifiers": ["name", "date_of_birth"],
            "fasting_hours": Decimal(6),
            "escort_name": "Sam Lovelace",
            "escort_phone": "+16175550199",
            "weight_kg": Decimal("80.0"),
            "weight_entered": "80 kg",
            "pregnancy": "not_pregnant",
            "questionnaires_reviewed": True,
        }
        | GOOD_VITALS
        | extra
    )


def check_post(**extra: Any) -> dict[str, Any]:
    """The check form as the nurse posts it."""
    data = {
        "identifiers": ["name", "date_of_birth"],
        "consent_confirmed": "on",
        "fasting_hours": "6",
        "escort_name": "Sam Lovelace",
        "escort_phone": "(617) 555-0199",
        "weight": "80",
        "weight_unit": "kg",
        "systolic": "122",
        "diastolic": "78",
        "heart_rate": "72",
        "spo2": "98",
        "resp_rate": "14",
        "pregnancy": "not_pregnant",
        "questionnaires_reviewed": "on",
    } | extra
    return {f"check-{key}": value for key, value in data.items()}


def checked(visit, nurse, order, **extra: Any):
    return actions.record_check(visit, by=nurse, data=check_data(**extra))


def stock(location, by, **extra: Any):
    """One vial of 10 mg/mL × 10 mL at the location, received into the log."""
    values = {"concentration_mg_per_ml": Decimal(10), "volume_ml": Decimal(10),
              "lot": "L123", "vials": 1} | extra  # fmt: skip
    receipt = receive(location, by, **values)
    return receipt.vials.get()


@pytest.fixture
def vial(visit, nurse):
    return stock(visit.location, nurse)


def verified(visit, nurse, nurse_two, order, vial=None):
    infusion = checked(visit, nurse, order)
    vial = vial or stock(visit.location, nurse)
    actions.prepare_dose(infusion, by=nurse, vial=vial)
    assert (
        actions.verify_dose(
            infusion, by=nurse_two, weight_kg=Decimal("80.0"), concentration=Decimal(10)
        )
        == []
    )
    infusion.refresh_from_db()
    return infusion


def running(visit, nurse, nurse_two, order, vial=None):
    infusion = verified(visit, nurse, nurse_two, order, vial)
    return actions.start(infusion, by=nurse)
