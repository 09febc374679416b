"""The log of one location over a date range as CSV, for an inspector: streamed row by
row in constant memory (the ledger is read in chunks; only the running location
balance is carried from row to row).

Rows hold what the continuing records must show (CLINICAL.md §8.6, §8.11): the date,
the vial (NDC, lot, expiry, strength, volume per container), the supplier and invoice
for receipts, the patient's name and address, the volumes drawn, given and wasted for
an administration, who did it and who witnessed it, the manner of a disposal, and the
explanation of a count's correction. Records are kept at least two years (21 CFR
1304.04(a); CLINICAL.md §8.4); nothing is ever purged.
"""

import csv
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from dendrite.clinics.models import Location

from . import balances
from .models import Movement

HEADER = [
    "Date and time", "Entry", "Vial", "NDC", "Lot", "Expiry", "Strength (mg/mL)",
    "Container volume (mL)", "Change (mL)", "Change (mg)", "Vial balance after (mL)",
    "Location balance after (mg)", "Drawn (mL)", "Given (mL)", "Wasted (mL)",
    "Patient", "Patient address", "MRN", "Appointment", "By", "Witness", "Supplier",
    "Supplier address", "Supplier DEA number", "Invoice", "Date received", "Manner",
    "Reference", "Note", "Recorded at",
]  # fmt: skip


class Echo:
    def write(self, value: str) -> str:
        return value


def cell(value: Any) -> str:
    """Text as a spreadsheet will not run it as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def bounds(location: Location, start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of `start` to the end of `end`, in the location's time zone."""
    tz = location.tz
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz),
    )


def opening_mg(location: Location, before: dt.datetime) -> Decimal:
    """The location's balance in mg before the range (one aggregate query)."""
    from django.db.models import DecimalField, F

    rows = Movement.objects.filter(location=location, at__lt=before).aggregate(
        mg=Sum(
            F("change_ml") * F("vial__concentration_mg_per_ml"),
            output_field=DecimalField(max_digits=16, decimal_places=2),
        )
    )
    return (rows["mg"] or balances.ZERO).quantize(balances.MG)


def person(user: Any) -> str:
    return (user.get_full_name() or user.username) if user else ""


def registration(location: Location, start: dt.date, end: dt.date) -> list[list[str]]:
    """The lines above the table: whose log this is (CLINICAL.md §8.2, §8.11), and when."""
    return [
        ["Registrant", cell(location.registrant)],
        ["Registered location", cell(f"{location.name}, {', '.join(location.address_lines)}")],
        ["DEA registration number", cell(location.dea_number)],
        [
            "State controlled-substance registration number",
            cell(location.state_registration_number),
        ],
        ["Period", f"{start.isoformat()} to {end.isoformat()}"],
        [],
    ]


def rows(location: Location, start: dt.date, end: dt.date) -> Iterator[list[str]]:
    since, until = bounds(location, start, end)
    yield from registration(location, start, end)
    running = opening_mg(location, since)
    movements = (
        Movement.objects.filter(location=location, at__gte=since, at__lt=until)
        .select_related("vial", "vial__receipt", "by", "witness", "patient")
        .order_by("at", "pk")
    )
    yield HEADER
    for m in movements.iterator(chunk_size=500):
        vial, receipt, patient = m.vial, m.vial.receipt, m.patient
        change_mg = balances.mg(m.change_ml, vial.concentration_mg_per_ml)
        running += change_mg
        received = m.kind == Movement.Kind.RECEIVED
        address = (
            ", ".join(
                p for p in (patient.street, patient.city, patient.state, patient.postal_code) if p
            )
            if patient
            else ""
        )
        yield [
            m.at.astimezone(location.tz).strftime("%Y-%m-%d %H:%M"),
            m.get_kind_display(), str(vial.number), vial.ndc, vial.lot,
            vial.expires_on.isoformat(), str(vial.concentration_mg_per_ml), str(vial.volume_ml),
            str(m.change_ml), str(change_mg), str(m.balance_after_ml), str(running),
            str(m.drawn_ml or ""), str(m.given_ml if m.given_ml is not None else ""),
            str(m.wasted_ml if m.wasted_ml is not None else ""),
            cell(f"{patient.first_name} {patient.last_name}" if patient else ""),
            cell(address), cell(patient.mrn if patient else ""), str(m.appointment_id or ""),
            cell(person(m.by)), cell(person(m.witness)),
            cell(receipt.supplier_name if received else ""),
            cell(receipt.supplier_address if received else ""),
            cell(receipt.supplier_dea_number if received else ""),
            cell(receipt.invoice_number if received else ""),
            receipt.received_on.isoformat() if received else "",
            cell(m.method), cell(m.reference), cell(m.note),
            m.recorded_at.astimezone(location.tz).strftime("%Y-%m-%d %H:%M"),
        ]  # fmt: skip


def stream(location: Location, start: dt.date, end: dt.date) -> Iterator[str]:
    writer = csv.writer(Echo())
    for row in rows(location, start, end):
        yield writer.writerow(row)
