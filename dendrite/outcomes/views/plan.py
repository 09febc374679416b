"""One patient's measurement plan: what the clinic's plan asks for their conditions, and a
prescriber's changes to it (audited in actions.py)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import Role, User
from dendrite.patients.access import get_patient_for

from .. import actions, cadence, plans
from ..forms import PlanChangeForm
from ..models import Cadence, Instrument, PatientPlanChange


@staff_required(roles=[Role.NURSE, Role.PRESCRIBER])
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    patient = get_patient_for(user, pk, "read_clinical")
    form = PlanChangeForm(request.POST or None)
    if request.method == "POST" and user.role != Role.PRESCRIBER:
        return HttpResponse("Only a prescriber may change a patient's plan.", status=403)
    if form.is_valid():
        data = form.cleaned_data
        asked = data["change"] == "ask"
        actions.change_patient_plan(
            patient,
            instrument=data["instrument"],
            removed=not asked,
            cadence=data["cadence"] if asked else Cadence.EVERY_VISIT,
            every_days=data["every_days"]
            if asked and data["cadence"] == Cadence.EVERY_DAYS
            else None,
            reason=data["reason"],
            by=user,
        )
        return redirect("outcomes:plan", patient.pk)
    context = {
        "patient": patient,
        "conditions": [cadence.condition_labels()[c] for c in sorted(plans.conditions(patient))],
        "rules": [_describe(rule) for rule in plans.rules_for(patient)],
        "changes": patient.plan_changes.select_related("changed_by"),
        "form": form,
        "may_change": user.role == Role.PRESCRIBER,
    }
    return render(request, "outcomes/plan.html", context)


@staff_required(roles=[Role.PRESCRIBER])
@require_POST
def undo(request: HttpRequest, pk: int, change: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    patient = get_patient_for(user, pk, "edit_clinical")
    found = PatientPlanChange.objects.filter(patient=patient, pk=change).first()
    if found is not None:
        actions.undo_patient_change(found, by=user)
    return redirect("outcomes:plan", patient.pk)


def _describe(rule: cadence.Rule) -> dict[str, str]:
    when = (
        "Before every visit and check-in"
        if rule.cadence == cadence.EVERY_VISIT
        else f"Every {rule.every_days} days"
    )
    return {"instrument": Instrument(rule.instrument).label, "when": when}
