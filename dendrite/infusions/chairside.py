"""The chairside page, built before the template (as scheduling/day.py builds the day):
a fixed number of queries however many vital signs the infusion has."""

import datetime as dt
import html
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.safestring import mark_safe

from dendrite.accounts.models import User
from dendrite.dates import clock
from dendrite.patients.models import QuestionnaireResponse
from dendrite.scheduling.models import Appointment

from . import actions, recovery, vitals
from .models import ChairsideAlert, Infusion, InfusionOrder, Phase, Stage, VitalSigns


@dataclass
class Row:
    pk: int  # the set's
    baseline: bool
    values: list[Any]  # one per measure, in vitals.MEASURES order (None if not taken)
    flagged: bool
    time: str = ""  # the time it was taken, in the clinic's zone
    # The row's value cells (the measures, CADSS, who recorded it), escaped and joined
    # here once: a day's 40 sets drew 440 cells through the template on every redraw.
    cells: str = ""


@dataclass
class Page:
    appointment: Appointment
    infusion: Infusion | None
    order: InfusionOrder | None
    blockers: list[str]
    rows: list[Row]
    measures: list[vitals.Measure]
    alerts: list[ChairsideAlert]
    events: list[Any]
    adverse_events: list[Any]
    questionnaires: list[QuestionnaireResponse]
    timer: str
    due_at: dt.datetime | None
    # Whether this user may see the prepared figures: not while they are the one who
    # must check them independently (CLINICAL.md §9.2: a "primed" check is no check).
    show_dose: bool
    prepared_by: Any = None
    discharge_name: str = ""
    note: Any = None  # the infusion note, once discharged
    forms: dict[str, Any] = field(default_factory=dict)


def build(appointment: Appointment, infusion: Infusion | None, user: Any) -> Page:
    # The order in force (it may be newer than the one the record was checked against),
    # with its signer, whom the page names.
    order = InfusionOrder.objects.for_appointment(appointment).select_related("signed_by").first()
    start, end = _day(appointment)
    questionnaires = list(
        QuestionnaireResponse.objects.filter(
            patient_id=appointment.patient_id, authored_at__gte=start, authored_at__lt=end
        ).only("instrument", "total", "band")  # what the page says of each (not the answers)
    )
    if infusion is None:
        return Page(
            appointment, None, order, [] if order else [actions.NO_ORDER], [],
            list(vitals.MEASURES.values()), [], [], [], questionnaires, vitals.NOT_DUE, None,
            show_dose=False,
        )  # fmt: skip
    alerts = list(infusion.alerts.select_related("acknowledged_by"))
    flagged = {alert.vital_signs_id for alert in alerts}
    rows = _rows(infusion, flagged, appointment.location.tz)
    prepared_by = actions.preparer(infusion) if infusion.stage == Stage.PREPARED else None
    now = timezone.now()
    return Page(
        appointment=appointment,
        infusion=infusion,
        order=order,
        blockers=actions.blockers(infusion, order) if infusion.started_at is None else [],
        rows=rows,
        measures=list(vitals.MEASURES.values()),
        alerts=alerts,
        events=list(infusion.events.select_related("by")),
        adverse_events=list(infusion.adverse_events.select_related("recorded_by")),
        questionnaires=questionnaires,
        timer=vitals.timer_state(
            infusion.next_vitals_due_at, now, settings.INFUSION_VITALS_GRACE_MINUTES
        ),
        due_at=infusion.next_vitals_due_at,
        show_dose=prepared_by is None or prepared_by.pk == user.pk,
        prepared_by=prepared_by,
        discharge_name=recovery.NAMES.get(settings.INFUSION_DISCHARGE_SCORE, ""),
        # What the page says of the note: its link and status.
        note=appointment.notes.only("kind", "status").first() if infusion.discharged_at else None,
    )


def _rows(infusion: Infusion, flagged: set[int], zone: dt.tzinfo) -> list[Row]:
    """The table's lines: each set with its observations and who recorded it, in one
    query (one line a set and observation, grouped here), each measure's value by its
    code. The numbers are written as the template would (the language's decimal point,
    no thousands: a vital sign never reaches them), without its per-number look-ups."""
    found = (
        VitalSigns.objects.filter(infusion=infusion)
        .order_by("taken_at", "id")
        .values_list(
            "pk", "phase", "taken_at", "cadss", "recorded_by__first_name",
            "recorded_by__last_name", "recorded_by__username", "observations__code",
            "observations__value",
        )
    )  # fmt: skip
    sets: dict[int, tuple[Any, ...]] = {}
    observed: dict[int, dict[str, Any]] = {}
    for pk, *reading, code, value in found:
        sets.setdefault(pk, tuple(reading))
        observed.setdefault(pk, {})[code] = value
    point, names = get_format("DECIMAL_SEPARATOR"), {}
    rows = []
    for pk, (phase, taken_at, cadss, *who) in sets.items():
        by_code = observed[pk]
        if tuple(who) not in names:  # as str(user) names them
            names[tuple(who)] = str(User(first_name=who[0], last_name=who[1], username=who[2]))
        values = [vitals.shown(key, by_code.get(m.loinc)) for key, m in vitals.MEASURES.items()]
        texts = ["–" if v is None else str(v).replace(".", point) for v in values]
        texts += ["–" if cadss is None else str(cadss), names[tuple(who)]]
        cells = mark_safe("".join(f"<td>{html.escape(text)}</td>" for text in texts))  # noqa: S308
        rows.append(
            Row(pk, phase == Phase.BASELINE, values, pk in flagged, clock(taken_at, zone), cells)
        )
    return rows


def _day(appointment: Appointment) -> tuple[dt.datetime, dt.datetime]:
    tz = appointment.location.tz
    day = appointment.starts_at.astimezone(tz).date()
    start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
    return start, start + dt.timedelta(days=1)
