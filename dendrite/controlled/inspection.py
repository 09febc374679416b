"""The log of one location over a date range as a PDF for an inspector: a header with
the registration (registrant, address, DEA and state numbers; CLINICAL.md §8.2, §8.11),
each vial's movements with its running balance, the counts with their discrepancies and
explanations, thefts and losses, who signed what and when, and who prepared it.

The CSV (export.py) streams any range; a PDF is built in memory, so its range is
bounded (MAX_DAYS), which bounds the rows it can hold.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Exists, F, OuterRef, Q, Subquery, Sum

from dendrite.clinics.models import Location

from . import balances
from .export import bounds, opening_mg
from .models import Count, Movement, Vial

MAX_DAYS = 731  # two years, the retention period (21 CFR 1304.04(a); CLINICAL.md §8.4)
TOO_LONG = (
    "A PDF covers at most two years. Please choose a shorter range, or download the "
    "spreadsheet, which has no limit."
)


def vials(location: Location, since: dt.datetime, until: dt.datetime) -> list[dict[str, Any]]:
    """Each vial that held ketamine at the start or moved in the range, with its balance
    at the start and its movements in the range (each with the balance after it)."""
    before = Movement.objects.filter(vial=OuterRef("pk"), at__lt=since).order_by("-seq")
    moved = Movement.objects.filter(vial=OuterRef("pk"), at__gte=since, at__lt=until)
    rows = (
        Vial.objects.filter(location=location)
        .annotate(opening_ml=Subquery(before.values("balance_after_ml")[:1]), moved=Exists(moved))
        .filter(Q(opening_ml__gt=0) | Q(moved=True))
        .select_related("receipt")
        .order_by("number")
    )
    movements: dict[int, list[Movement]] = {}
    for m in (
        Movement.objects.filter(location=location, at__gte=since, at__lt=until)
        .select_related("vial", "by", "witness", "patient")
        .order_by("seq")
    ):
        movements.setdefault(m.vial_id, []).append(m)
    return [
        {
            "vial": vial,
            "opening_ml": balances.to_ml(vial.opening_ml or balances.ZERO),
            "movements": movements.get(vial.pk, []),
            "closing_ml": (
                movements[vial.pk][-1].balance_after_ml
                if vial.pk in movements
                else balances.to_ml(vial.opening_ml or balances.ZERO)
            ),
        }
        for vial in rows
    ]


def totals_mg(location: Location, since: dt.datetime, until: dt.datetime) -> dict[str, Decimal]:
    """Milligrams moved in the range, by kind of entry."""
    rows = (
        Movement.objects.filter(location=location, at__gte=since, at__lt=until)
        .values("kind")
        .annotate(
            mg=Sum(
                F("change_ml") * F("vial__concentration_mg_per_ml"),
                output_field=DecimalField(max_digits=16, decimal_places=2),
            )
        )
    )
    return {row["kind"]: Decimal(row["mg"]).quantize(balances.MG) for row in rows}


def report(location: Location, start: dt.date, end: dt.date) -> dict[str, Any]:
    since, until = bounds(location, start, end)
    opening = opening_mg(location, since)
    moved = totals_mg(location, since, until)
    labels = dict(Movement.Kind.choices)
    counts = (
        Count.objects.filter(location=location, taken_at__gte=since, taken_at__lt=until)
        .select_related("by")
        .prefetch_related("lines__vial")
        .order_by("taken_at")
    )
    counts_taken = list(counts)
    vial_rows = vials(location, since, until)
    losses = [m for row in vial_rows for m in row["movements"] if m.kind == Movement.Kind.LOST]
    return {
        "location": location,
        "start": start,
        "end": end,
        "opening_mg": opening,
        "moved": [(labels[kind], mg) for kind, mg in sorted(moved.items())],
        "closing_mg": (opening + sum(moved.values(), balances.ZERO)).quantize(balances.MG),
        "vials": vial_rows,
        "counts": counts_taken,
        "losses": losses,
        "empty": not moved and not counts_taken,
    }
