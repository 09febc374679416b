"""Demo ketamine log for `load_demo`: synthetic stock at each demo location. Idempotent:
a location that already has a receipt is left alone.

Each location takes a zero initial inventory and receives four vials of 50 mg/mL ×
10 mL on one invoice (load_controlled, before the infusions). The demo's completed
infusion (demo/infusions.py) then draws from the first vial through the infusion record,
so the log and the record agree; count_demo_stock signs a daily count afterwards that
matches the log, so neither log shows the daily-count banner on the day the demo is
loaded; on a later open day it shows from 10 AM until a nurse signs that day's count,
as a real clinic's would.

Each location is registered (synthetic numbers with a valid DEA check digit, in the
name of its first prescriber, who holds the stock at the clinic's address: CLINICAL.md
§8.2), so the inspector's export has a complete header.
"""

from decimal import Decimal

from django.db import transaction

from dendrite.accounts.models import Role, User
from dendrite.clinics.models import Location
from dendrite.controlled import actions
from dendrite.controlled.models import Count, Receipt, Vial

D = Decimal

# Synthetic registrations: DEA numbers with a right check digit (clinics/registration.py);
# state numbers in the shape of a MA MCSR and a CT CSR. None of them is real.
REGISTRATIONS = {
    "MA": ("BD1357929", "MCSR-DEMO-00117"),
    "CT": ("FD2468139", "CSP.DEMO-0042"),
}


@transaction.atomic
def load_controlled() -> None:
    for location in Location.objects.order_by("pk"):
        staff = User.objects.filter(locations=location, is_active=True)
        nurse = staff.filter(role=Role.NURSE).order_by("pk").first()
        prescriber = staff.filter(role=Role.PRESCRIBER).order_by("pk").first()
        if nurse is None or prescriber is None:
            continue
        _register(location, prescriber)
        if not Receipt.objects.filter(location=location).exists():
            _load(location, nurse, prescriber)


def _register(location: Location, prescriber: User) -> None:
    if location.dea_number:
        return
    dea, state = REGISTRATIONS.get(location.state, REGISTRATIONS["MA"])
    location.registrant_name = f"{prescriber.get_full_name()}, MD"
    location.dea_number, location.state_registration_number = dea, state
    location.save(update_fields=["registrant_name", "dea_number", "state_registration_number"])


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
