"""The infusion note: the record of one infusion written out for the nurse to sign and
the prescriber to co-sign (notes/), and the chairside page's button that starts it once
the patient is discharged.

Notes sits below infusions and imports nothing of it: `record` is added as the infusion
note's source (apps.py), and notes copies it into the note when the note is started and
once more at signing; after that a change to the infusion no longer changes the note.
Every figure carries its unit; the vital signs come as a table and, for the chart the
note draws, as the same numbers by minutes from the first reading.
"""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import dateformat, timezone
from django.views.decorators.http import require_POST

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import Role
from dendrite.notes import actions as notes
from dendrite.notes.models import Note, NoteKind

from . import recovery, vitals
from .access import get_visit_for, infusion_of
from .models import IdentifierKind, Infusion, Pregnancy, StopReason

CHARTED = ("systolic", "diastolic", "heart_rate", "spo2")


def _at(infusion: Infusion, moment: Any, fmt: str = "M j, Y, g:i A") -> str:
    if moment is None:
        return "—"
    return dateformat.format(timezone.localtime(moment, infusion.location.tz), fmt)


def _unit(value: Any, unit: str) -> str:
    return "—" if value is None else f"{value} {unit}"


def _order(infusion: Infusion) -> dict[str, Any]:
    order = infusion.order
    facts = [
        ["Order", f"Version {order.version}, signed by {order.signed_by}"],
        ["Order signed", _at(infusion, order.signed_at)],
        ["Ordered dose", _unit(order.mg_per_kg, "mg/kg")],
        ["Highest dose allowed", _unit(order.titrate_to_mg_per_kg, "mg/kg")],
        ["Duration", _unit(order.minutes, "minutes")],
        ["This visit's dose", _unit(infusion.mg_per_kg, "mg/kg")],
    ]  # fmt: skip
    return {"heading": "Order", "facts": facts}


def _check(infusion: Infusion) -> dict[str, Any]:
    identifiers = dict(IdentifierKind.choices)
    facts = [
        ["Checked", f"{infusion.checked_by}, {_at(infusion, infusion.checked_at)}"],
        ["Identified by", "; ".join(str(identifiers.get(i, i)) for i in infusion.identifiers)],
        ["Fasting", _unit(infusion.fasting_hours, "hours")],
        ["Weight", f"{infusion.weight_kg} kg ({infusion.weight_lb} lb)"],
        ["Weight as entered", infusion.weight_entered],
        ["Pregnancy", str(Pregnancy(infusion.pregnancy).label)],
        ["Questionnaires reviewed", "Yes" if infusion.questionnaires_reviewed else "No"],
        ["Escort", infusion.escort_name],
    ]  # fmt: skip
    if infusion.hold_reason:
        facts.append(["Held", f"{infusion.hold_reason}: {infusion.get_hold_decision_display()} "
                      f"({infusion.hold_decided_by}) {infusion.hold_note}".strip()])  # fmt: skip
    return {"heading": "Pre-infusion check", "facts": facts}


def _dose(infusion: Infusion, checks: list[Any]) -> dict[str, Any]:
    facts = [
        ["Vial", f"Lot {infusion.lot or '—'}, NDC {infusion.ndc or '—'}"],
        ["Concentration", _unit(infusion.concentration_mg_per_ml, "mg/mL")],
        ["Dose", _unit(infusion.dose_mg, "mg")],
        ["Drawn", _unit(infusion.drawn_ml, "mL")],
        ["Total volume", _unit(infusion.total_ml, "mL")],
        ["Rate", _unit(infusion.rate_ml_per_h, "mL/h")],
        ["Verified", f"{infusion.verified_by or '—'}, {_at(infusion, infusion.verified_at)}"],
    ]
    rows = [
        [c.get_kind_display(), str(c.by), _at(infusion, c.at, "g:i A"), f"{c.weight_kg} kg",
         f"{c.concentration_mg_per_ml} mg/mL", f"{c.mg_per_kg} mg/kg", f"{c.dose_mg} mg",
         f"{c.drawn_ml} mL", f"{c.rate_ml_per_h} mL/h",
         "—" if c.agreed is None else ("Agreed" if c.agreed else "Differed")]
        for c in checks
    ]  # fmt: skip
    columns = ["Calculation", "By", "At", "Weight", "Concentration", "Dose per kg", "Dose",
               "Drawn", "Rate", "Result"]  # fmt: skip
    table = {"caption": "Dose and independent double check", "columns": columns, "rows": rows}
    return {"heading": "Dose and double check", "facts": facts, "table": table}


def _administration(infusion: Infusion, events: list[Any]) -> dict[str, Any]:
    stop = StopReason(infusion.stop_reason).label if infusion.stop_reason else "—"
    facts = [
        ["Started", _at(infusion, infusion.started_at)],
        ["Stopped", _at(infusion, infusion.stopped_at)],
        ["Why stopped", f"{stop}{f': {infusion.stop_note}' if infusion.stop_note else ''}"],
        ["Volume infused", _unit(infusion.infused_ml, "mL")],
        ["Ketamine given", _unit(infusion.given_mg, "mg")],
    ]
    items = [
        f"{_at(infusion, e.at, 'g:i A')}: {e.get_kind_display()} by {e.by}"
        f"{f' ({e.reason})' if e.reason else ''}"
        for e in events
    ]
    return {"heading": "Administration and events", "facts": facts, "items": items}


def _vitals(infusion: Infusion, readings: list[Any]) -> dict[str, Any]:
    measures = list(vitals.MEASURES.values())
    columns = ["Time", "Phase", *[f"{m.label} ({m.unit_label})" for m in measures], "CADSS"]
    rows, minutes = [], []
    first = readings[0].taken_at if readings else None
    values: dict[str, list[float | None]] = {key: [] for key in CHARTED}
    for reading in readings:
        taken = [reading.value(m.key) for m in measures]
        rows.append([_at(infusion, reading.taken_at, "g:i A"), reading.get_phase_display(),
                     *["—" if v is None else str(v) for v in taken],
                     "—" if reading.cadss is None else str(reading.cadss)])  # fmt: skip
        minutes.append(round((reading.taken_at - first).total_seconds() / 60, 1))
        for key in CHARTED:
            value = reading.value(key)
            values[key].append(None if value is None else float(Decimal(value)))
    series = [[f"{vitals.MEASURES[k].label} ({vitals.MEASURES[k].unit_label})", values[k]]
              for k in CHARTED]  # fmt: skip
    block: dict[str, Any] = {
        "heading": "Vital signs",
        "table": {"caption": "Vital signs", "columns": columns, "rows": rows},
        "chart": {"title": "Vital signs over the visit", "minutes": minutes, "series": series},
    }
    cadss = [r.cadss for r in readings if r.cadss is not None]
    block["facts"] = [["Highest CADSS score", str(max(cadss)) if cadss else "Not scored"]]
    return block


def _safety(infusion: Infusion, alerts: list[Any], adverse: list[Any]) -> dict[str, Any]:
    items = [
        f"Chairside alert at {_at(infusion, a.raised_at, 'g:i A')}: {'; '.join(a.reasons)}. "
        + (f"Acknowledged by {a.acknowledged_by} at {_at(infusion, a.acknowledged_at, 'g:i A')}: "
           f"{a.action_taken}" if a.acknowledged_at else "Not acknowledged.")
        for a in alerts
    ] + [
        f"Adverse event: {e.other or e.get_kind_display()}, {e.get_severity_display().lower()}"
        f"{f'; action: {e.action}' if e.action else ''}"
        f"{f'; given: {e.medicine_given}' if e.medicine_given else ''}; "
        f"{e.get_outcome_display().lower()} (recorded by {e.recorded_by}, "
        f"{_at(infusion, e.recorded_at, 'g:i A')})"
        for e in adverse
    ]  # fmt: skip
    empty = "" if items else "No chairside alerts and no adverse events."
    return {"heading": "Alerts and adverse events", "items": items, "empty": empty}


def _discharge(infusion: Infusion) -> dict[str, Any]:
    name = recovery.NAMES.get(infusion.discharge_score_system, "") or "Discharge score"
    score = (
        "Not scored" if infusion.discharge_score is None else f"{infusion.discharge_score} of 10"
    )
    facts = [
        ["Discharged", f"{infusion.discharged_by or '—'}, {_at(infusion, infusion.discharged_at)}"],
        [name, score],
        ["Vital signs near baseline", "Yes" if infusion.vitals_near_baseline else "No"],
        ["Left with escort", f"{infusion.escort_name}" if infusion.escort_present else "No"],
    ]  # fmt: skip
    return {"heading": "Discharge", "facts": facts}


def record(note: Note) -> dict[str, Any]:
    """The infusion of the note's visit, written out (an empty record if it has none)."""
    infusion = (
        Infusion.objects.select_related(
            "order__signed_by", "checked_by", "verified_by", "hold_decided_by",
            "discharged_by", "location",
        ).filter(appointment_id=note.appointment_id).first()
    )  # fmt: skip
    if infusion is None:
        return {}
    readings = list(infusion.vital_signs.prefetch_related("observations"))
    return {
        "blocks": [
            _order(infusion),
            _check(infusion),
            _dose(infusion, list(infusion.dose_checks.select_related("by"))),
            _administration(infusion, list(infusion.events.select_related("by"))),
            _vitals(infusion, readings),
            _safety(
                infusion,
                list(infusion.alerts.select_related("acknowledged_by")),
                list(infusion.adverse_events.select_related("recorded_by")),
            ),
            _discharge(infusion),
        ]
    }


@staff_required(roles=[Role.NURSE])
@require_POST
def start_note(request: HttpRequest, pk: int) -> HttpResponse:
    """The visit's infusion note: the one already started (one note per infusion), else
    a new one from the record."""
    appointment = get_visit_for(request.user, pk, "write_note")
    infusion = infusion_of(appointment)
    if infusion is None or infusion.discharged_at is None:
        raise Http404
    note = Note.objects.filter(appointment=appointment, kind=NoteKind.INFUSION).first()
    if note is None:
        try:
            note = notes.start_note(appointment.patient, NoteKind.INFUSION, by=request.user,
                                    appointment=appointment)  # fmt: skip
        except notes.Refused as refused:
            messages.error(request, refused.message)
            return redirect("infusions:chairside", appointment.pk)
    return redirect("notes:note", note.pk)
