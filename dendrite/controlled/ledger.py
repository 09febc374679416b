"""Reading the log of one location for its screens: the stock with its balances and the
ledger with a running balance for the location (in mg, since vials of different
strengths add up only in milligrams). Computed in SQL; the page's query count does not
grow with the ledger."""

from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import DecimalField, F, Sum, Window

from dendrite.audit.log import record
from dendrite.clinics.models import Location

from . import balances
from .access import movements_for
from .models import Movement, Vial, settled

PER_PAGE = 50
MG_TOTAL = DecimalField(max_digits=16, decimal_places=2)


def stock(location: Location) -> dict[str, Any]:
    """Vials in stock, mL per strength, and the location's balance in mg."""
    vials = [
        settled(v) for v in Vial.objects.in_stock().filter(location=location).order_by("number")
    ]
    strengths: dict[Decimal, Decimal] = {}
    for vial in vials:
        strength = vial.concentration_mg_per_ml
        strengths[strength] = strengths.get(strength, balances.ZERO) + vial.balance_ml
    total_mg = balances.balance(
        balances.mg(vial.balance_ml, vial.concentration_mg_per_ml) for vial in vials
    )
    return {
        "vials": vials,
        "strengths": sorted(strengths.items()),
        "total_mg": total_mg,
    }


def with_location_balance(movements: Any) -> Any:
    """Each line with the location's balance (mg) after it, counted over the whole ledger
    (the window runs before any paging)."""
    mg_moved = F("change_ml") * F("vial__concentration_mg_per_ml")
    return movements.annotate(
        location_balance_mg=Window(Sum(mg_moved, output_field=MG_TOTAL), order_by=F("pk").asc())
    )


def ledger_page(user: Any, location: Location, number: Any) -> Page:
    movements = with_location_balance(movements_for(user, location)).order_by("-pk")
    page = Paginator(movements, PER_PAGE).get_page(number)
    shown: list[Movement] = list(page.object_list)
    record(
        "controlled.movement.list", user=user, obj=location,
        detail={"ids": [m.pk for m in shown], "patients": sorted(
            {m.patient_id for m in shown if m.patient_id}
        )},
    )  # fmt: skip
    return page
