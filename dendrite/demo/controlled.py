"""Demo ketamine log for `load_demo`: synthetic stock at each demo location. Idempotent:
a location that already has a receipt is left alone.

Each location takes a zero initial inventory and receives four vials of 50 mg/mL ×
10 mL on one invoice (load_controlled, before the infusions). The demo's completed
infusion (demo/infusions.py) then draws from the first vial through the infusion record,
so the log and the record agree; count_demo_stock signs a daily count afterwards that
matches the log.
"""

from decimal import Decimal

from django.db import transaction

from dendrite.accounts.models import Role, User
from dendrite.clinics.models import Location
from dendrite.controlled import actions
from dendrite.controlled.models import Count, Receipt, Vial

D = Decimal


@transaction.atomic
def load_controlled() -> None:
    for location in Location.objects.order_by("pk"):
        staff = User.objects.filter(locations=location, is_active=True)
        nurse = staff.filter(role=Role.NURSE).order_by("pk").first()
        prescriber = staff.filter(role=Role.PRESCRIBER).order_by("pk").first()
        if (
            nurse is None
            or prescriber is None
            or Receipt.objects.filter(location=location).exists()
        ):
            continue
        _load(location, nurse, prescriber)


def _load(location: Location, nurse: User, prescriber: User) -> None:
    today = location.local_now().date()
    actions.record_count(
        location=location, kind=Count.Kind.INITIAL, timing=Count.Timing.OPENING, counted={},
        explanation="", by=prescriber,
    )  # fmt: skip
    actions.receive_stock(
        location=location, by=nurse, received_on=today, supplier_name="Example Medical Supply",
        supplier_address="100 Example Parkway, Columbus, OH 43004",
        supplier_dea_number="RE1234563", invoice_number=f"DEMO-{location.slug.upper()}-1",
        vials=4, ndc="0409-2051-05", lot="DEMO24A", expires_on=today.replace(year=today.year + 1),
        concentration_mg_per_ml=D("50"), volume_ml=D("10"), stored_in="Locked safe, med room",
    )  # fmt: skip


@transaction.atomic
def count_demo_stock() -> None:
    """A daily count at the close at each location whose log has none yet."""
    for location in Location.objects.order_by("pk"):
        nurse = (
            User.objects.filter(locations=location, is_active=True, role=Role.NURSE)
            .order_by("pk")
            .first()
        )
        if (
            nurse is None
            or not Receipt.objects.filter(location=location).exists()
            or Count.objects.filter(location=location, kind=Count.Kind.DAILY).exists()
        ):
            continue
        in_stock = Vial.objects.in_stock().filter(location=location)
        actions.record_count(
            location=location, kind=Count.Kind.DAILY, timing=Count.Timing.CLOSE,
            counted={v.pk: (v.balance_ml, v.balance_ml < v.volume_ml) for v in in_stock},
            explanation="", by=nurse,
        )  # fmt: skip
