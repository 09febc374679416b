"""The nurse's check at the chair, and a prescriber's decision when it holds the start."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from dendrite.accounts.decorators import staff_required

from .. import actions
from ..access import CHAIRSIDE_ROLES, PRESCRIBER_ROLES, get_infusion_for, get_visit_for
from ..forms import CheckForm, HoldForm
from .common import attempt, done, render_page


@staff_required(roles=CHAIRSIDE_ROLES)
@require_POST
def check(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_visit_for(request.user, pk, "check")
    form = CheckForm(request.POST, prefix="check", patient=appointment.patient)
    if attempt(
        form, lambda: actions.record_check(appointment, by=request.user, data=form.cleaned_data)
    ):
        return done(pk, "dose")
    return render_page(request, appointment, None, check=form)


@staff_required(roles=PRESCRIBER_ROLES)
@require_POST
def hold(request: HttpRequest, pk: int) -> HttpResponse:
    infusion = get_infusion_for(request.user, pk, "decide_hold")
    form = HoldForm(request.POST, prefix="hold")
    if attempt(form, lambda: actions.decide_hold(infusion, by=request.user, **form.cleaned_data)):
        return done(pk)
    return render_page(request, infusion.appointment, infusion, hold=form)
