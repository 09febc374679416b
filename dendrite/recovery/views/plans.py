"""A patient's safety plan and relapse-prevention plan: written with the patient,
signed with the clinician's own code, a new version on every change; shown as a
printable page and as a PDF in English or Spanish."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import CLINICAL_ROLES
from dendrite.accounts.step_up import StepUp
from dendrite.pdf import pdf_response

from .. import access, actions
from ..forms import PlanForm
from ..models import PlanKind
from ..plans import sections_with_text

LANGUAGES = ("en", "es")


@staff_required(roles=CLINICAL_ROLES)
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, patient_pk: int, kind: str) -> HttpResponse:
    if kind not in PlanKind.values:
        raise Http404
    patient = access.get_recovery_patient_for(
        request.user, patient_pk, edit=request.method == "POST"
    )
    versions = access.plan_versions(patient, kind)
    initial = dict(versions[0].content) if versions else {}
    form = PlanForm(request.POST or None, kind=kind, step_up=StepUp(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        plan = actions.sign_plan(patient, kind=kind, content=form.content(), by=request.user)
        return redirect("recovery:plan", plan.pk)
    context = {"patient": patient, "form": form, "kind": PlanKind(kind), "versions": versions}
    return render(request, "recovery/plan_edit.html", context, status=400 if form.is_bound else 200)


def _language(request: HttpRequest) -> str:
    language = request.GET.get("language", "en")
    return language if language in LANGUAGES else "en"


def _context(plan: object, language: str) -> dict[str, object]:
    return {
        "plan": plan,
        "sections": sections_with_text(plan.kind, plan.content),  # type: ignore[attr-defined]
        "clinic": plan.patient.location,  # type: ignore[attr-defined]
        "pdf_language": language,
        "language": language,
    }


@staff_required(roles=CLINICAL_ROLES)
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for(request.user, pk)
    language = _language(request)
    context = _context(plan, language)
    context["versions"] = access.plan_versions(plan.patient, plan.kind)
    with translation.override(language):
        return render(request, "recovery/plan.html", context)


@staff_required(roles=CLINICAL_ROLES)
@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for(request.user, pk)
    language = _language(request)
    name = "safety-plan" if plan.kind == PlanKind.SAFETY else "relapse-prevention-plan"
    with translation.override(language):
        return pdf_response(
            "recovery/pdf/plan.html", _context(plan, language), f"{name}.pdf", request
        )
