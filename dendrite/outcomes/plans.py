"""Reading a patient's measurement plan from the database and asking cadence.py what is due.
Reads only; the writes are in actions.py."""

import datetime as dt

from django.db.models import Max

from dendrite.clinics.models import Organization
from dendrite.instruments import loader
from dendrite.patients.models import Patient, QuestionnaireResponse

from . import cadence
from .models import DEFAULT_RULES, MeasurementPlan, PlanRule

# The visits measured before they begin: infusions, boosters and follow-ups (issue #15).
MEASURED_KINDS = ("infusion", "booster", "follow_up")


def plan_for(organization: Organization) -> MeasurementPlan:
    """The organisation's plan, made with the default rules the first time it is asked."""
    plan, created = MeasurementPlan.objects.get_or_create(organization=organization)
    if created:
        PlanRule.objects.bulk_create(
            PlanRule(plan=plan, condition=c, instrument=i, cadence=k, every_days=d)
            for c, i, k, d in DEFAULT_RULES
        )
    return plan


def conditions(patient: Patient) -> set[str]:
    return cadence.conditions_of(patient.diagnoses.values_list("code", flat=True))


def rules_for(patient: Patient, plan: MeasurementPlan | None = None) -> list[cadence.Rule]:
    plan = plan or plan_for(patient.organization)
    changes = [change.pure() for change in patient.plan_changes.all()]
    return cadence.patient_rules(plan.pure_rules(), conditions(patient), changes)


def last_answered(patient: Patient) -> dict[str, dt.datetime]:
    """When each instrument was last answered: one aggregate query."""
    rows = (
        QuestionnaireResponse.objects.filter(patient=patient)
        .values("instrument")
        .annotate(last=Max("authored_at"))
    )
    return {row["instrument"]: row["last"] for row in rows}


def due_for(
    patient: Patient,
    at: dt.datetime,
    previous_visit: dt.datetime | None = None,
    plan: MeasurementPlan | None = None,
) -> list[str]:
    """Every instrument due at `at`, the drinking diary included."""
    return cadence.due(rules_for(patient, plan), last_answered(patient), at, previous_visit)


def questionnaires(codes: list[str]) -> list[str]:
    """The ones answered on our pages: the diary is the recovery app's."""
    known = set(loader.instrument_codes())
    return [code for code in codes if code in known]
