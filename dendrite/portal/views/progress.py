"""The patient's progress, the drinking diary and their plans, one tap from every page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from dendrite.recovery.models import PlanKind
from dendrite.recovery.plans import sections_with_text
from dendrite.recovery.views.diary import SESSION_KEY as DIARY

from .. import access, auth
from ..progress import progress as in_words


@require_GET
@auth.patient_required
def progress(request: HttpRequest) -> HttpResponse:
    portal = auth.portal_of(request)
    plans = access.plans(portal)
    context = {
        "progress": in_words(portal.patient, access.scores(portal), access.infusion_times(portal)),
        "plans": [(kind, label) for kind, label in PlanKind.choices if kind in plans],
        "diary": access.diary_link(portal) is not None,
    }
    return render(request, "portal/progress.html", context)


@require_GET
@auth.patient_required
def plan(request: HttpRequest, kind: str) -> HttpResponse:
    portal = auth.portal_of(request)
    found = access.get_plan(portal, kind)
    context = {
        "plan": found,
        "label": PlanKind(kind).label,
        "sections": sections_with_text(found.kind, found.content),
        "clinic": portal.patient.location,
    }
    return render(request, "portal/plan.html", context)


@require_POST
@auth.patient_required
def diary(request: HttpRequest) -> HttpResponse:
    """Into the diary with the link the care team made (the diary's own session)."""
    link = access.diary_link(auth.portal_of(request))
    if link is None:
        return redirect("portal:progress")
    request.session[DIARY] = link.pk
    return redirect("recovery:diary")
