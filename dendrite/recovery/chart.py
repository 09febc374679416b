"""The chart's recovery section: the last 30 days at a glance, weekly and monthly
figures, lapse and relapse under the clinic's definition, the plans. A fixed number of
queries however many days are recorded; nurses and prescribers only."""

import datetime as dt
from typing import Any

from dendrite.accounts.models import CLINICAL_ROLES
from dendrite.patients.chart import Section
from dendrite.patients.models import Patient

from . import access, glance, metrics
from .models import PlanKind

WEEKS, MONTHS = 4, 3


def recovery_section(patient: Patient, viewer: Any) -> dict[str, Any]:
    if getattr(viewer, "role", None) not in CLINICAL_ROLES:
        return {"patient": patient, "allowed": False}
    today = access.local_today(patient)
    since = min(today - dt.timedelta(weeks=WEEKS), today.replace(day=1) - dt.timedelta(days=92))
    days = access.drinks_by_day(patient)  # every day: lapse and relapse need the history
    clinic = access.settings_for(patient.organization_id)
    threshold = metrics.heavy_threshold(patient.sex)
    bars, top = glance.bars(
        days,
        access.markers_between(patient, today - dt.timedelta(days=29), today),
        today,
        threshold,
    )
    plans = access.latest_plans(patient)
    recent = {day: drinks for day, drinks in days.items() if day >= since}
    return {
        "patient": patient,
        "allowed": True,
        "bars": bars,
        "top": top,
        "recorded": sum(1 for bar in bars if bar.drinks is not None),
        "threshold": threshold,
        "tables": [
            ("Week by week (Monday to Sunday)", metrics.weeks(recent, today, WEEKS, threshold)),
            ("Month by month", metrics.months(recent, today, MONTHS, threshold)),
        ],
        "status": metrics.status(days, threshold, clinic.definition),
        "definition": clinic.definition,
        "plans": [(label, plans.get(kind), kind) for kind, label in PlanKind.choices],
    }


SECTION = Section(
    anchor="recovery",
    title="Recovery",
    template="recovery/_chart_section.html",
    context=recovery_section,
    clinical=True,
)
