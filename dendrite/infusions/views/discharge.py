"""Discharge against the clinic's criteria, and the after-care sheet to print."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from dendrite.accounts.decorators import staff_required

from .. import actions, aftercare
from ..access import CHAIRSIDE_ROLES, get_infusion_for, get_visit_for
from ..forms import DischargeForm
from .common import attempt, done, render_page


@staff_required(roles=CHAIRSIDE_ROLES)
@require_POST
def discharge(request: HttpRequest, pk: int) -> HttpResponse:
    infusion = get_infusion_for(request.user, pk, "discharge")
    form = DischargeForm(request.POST, prefix="discharge")
    if attempt(form, lambda: actions.discharge(
        infusion, by=request.user, answers=form.answers(),
        escort_present=form.cleaned_data["escort_present"],
    )):  # fmt: skip
        return done(pk, "recovery")
    return render_page(request, infusion.appointment, infusion, discharge=form)


@staff_required(roles=CHAIRSIDE_ROLES)
@require_GET
def instructions(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_visit_for(request.user, pk, "aftercare")
    lang = request.GET.get("lang", "en")
    lang = lang if lang in aftercare.TEXT else "en"
    context = {
        "appointment": appointment, "text": aftercare.TEXT[lang], "lang": lang,
        "languages": aftercare.LANGUAGES,
    }  # fmt: skip
    return render(request, "infusions/aftercare.html", context)
