"""Start, pause, resume and stop the infusion."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from dendrite.accounts.decorators import staff_required

from .. import actions
from ..access import CHAIRSIDE_ROLES, get_infusion_for
from ..forms import ReasonForm
from .common import attempt, done, render_page, stop_form


@staff_required(roles=CHAIRSIDE_ROLES)
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    infusion = get_infusion_for(request.user, pk, "start")
    try:
        actions.start(infusion, by=request.user)
    except actions.Refused as refused:
        messages.error(request, refused.message)
    return done(pk, "pump")


@staff_required(roles=CHAIRSIDE_ROLES)
@require_POST
def pause(request: HttpRequest, pk: int) -> HttpResponse:
    infusion = get_infusion_for(request.user, pk, "pause")
    form = ReasonForm(request.POST, prefix="pause")
    if attempt(form, lambda: actions.pause(infusion, by=request.user, **form.cleaned_data)):
        return done(pk, "pump")
    return render_page(request, infusion.appointment, infusion, pause=form)


@staff_required(roles=CHAIRSIDE_ROLES)
@require_POST
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    infusion = get_infusion_for(request.user, pk, "resume")
    form = ReasonForm(request.POST, prefix="resume")
    if attempt(form, lambda: actions.resume(infusion, by=request.user, **form.cleaned_data)):
        return done(pk, "pump")
    return render_page(request, infusion.appointment, infusion, resume=form)


@staff_required(roles=CHAIRSIDE_ROLES)
@require_POST
def stop(request: HttpRequest, pk: int) -> HttpResponse:
    infusion = get_infusion_for(request.user, pk, "stop")
    form = stop_form(infusion, request.POST)
    if attempt(form, lambda: actions.stop(infusion, by=request.user, **form.stop_args())):
        return done(pk, "recovery")
    return render_page(request, infusion.appointment, infusion, stop=form)
