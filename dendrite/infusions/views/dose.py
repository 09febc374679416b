"""The dose: a prescriber's titration for this visit, the first clinician's preparation
and the second clinician's independent check."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from dendrite.accounts.decorators import staff_required

from .. import actions
from ..access import CHAIRSIDE_ROLES, PRESCRIBER_ROLES, get_infusion_for, vials_to_draw_from
from ..forms import PrepareForm, TitrateForm, VerifyForm
from .common import attempt, done, render_page

WHAT = {"weight": "the weight", "concentration": "the vial's concentration", "dose": "the dose"}


@staff_required(roles=PRESCRIBER_ROLES)
@require_POST
def titrate(request: HttpRequest, pk: int) -> HttpResponse:
    infusion = get_infusion_for(request.user, pk, "titrate")
    form = TitrateForm(request.POST, prefix="titrate")
    if attempt(form, lambda: actions.titrate(infusion, by=request.user, **form.cleaned_data)):
        return done(pk, "dose")
    return render_page(request, infusion.appointment, infusion, titrate=form)


@staff_required(roles=CHAIRSIDE_ROLES)
@require_POST
def prepare(request: HttpRequest, pk: int) -> HttpResponse:
    infusion = get_infusion_for(request.user, pk, "prepare")
    vials = vials_to_draw_from(request.user, infusion.location)
    form = PrepareForm(request.POST, prefix="prepare", vials=vials)
    if attempt(form, lambda: actions.prepare_dose(infusion, by=request.user, **form.cleaned_data)):
        return done(pk, "dose")
    return render_page(request, infusion.appointment, infusion, prepare=form)


@staff_required(roles=CHAIRSIDE_ROLES)
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    infusion = get_infusion_for(request.user, pk, "verify")
    form = VerifyForm(request.POST, prefix="verify")
    found: list[str] = []

    def run() -> None:
        data = form.cleaned_data
        weight, concentration = data["weight_kg"], data["concentration"]
        found.extend(
            actions.verify_dose(
                infusion, by=request.user, weight_kg=weight, concentration=concentration
            )
        )

    if attempt(form, run):
        if not found:
            messages.success(request, "The two calculations agree: the dose is verified.")
            return done(pk, "dose")
        differ = " and ".join(WHAT[name] for name in found)
        messages.error(
            request,
            f"Your figures and the first clinician's differ in {differ}, so the dose is not "
            "verified. Weigh and read the vial together, then prepare the dose again.",
        )
        return done(pk, "dose")
    return render_page(request, infusion.appointment, infusion, verify=form)
