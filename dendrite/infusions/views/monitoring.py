"""During and after the infusion: vital signs, chairside alerts, adverse events."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from dendrite.accounts.decorators import staff_required

from .. import actions
from ..access import (
    CHAIRSIDE_ROLES,
    PRESCRIBER_ROLES,
    get_alert_for,
    get_infusion_for,
    get_visit_for,
)
from ..forms import AcknowledgeForm, AdverseEventForm, VitalsForm
from .common import attempt, done, render_page


@staff_required(roles=CHAIRSIDE_ROLES)
@require_POST
def record_vitals(request: HttpRequest, pk: int) -> HttpResponse:
    infusion = get_infusion_for(request.user, pk, "record_vitals")
    form = VitalsForm(request.POST, prefix="vitals")
    result: list = []

    def run() -> None:
        result.extend(actions.record_vitals(
            infusion, by=request.user, values=form.values(), cadss=form.cleaned_data.get("cadss")
        ))  # fmt: skip

    if attempt(form, run):
        if result[1] is not None:
            messages.error(
                request,
                "A value is outside the clinic's limits. The prescribers on site have been "
                "told; stay with the patient.",
            )
        return done(pk, "vitals")
    return render_page(request, infusion.appointment, infusion, vitals=form)


@staff_required(roles=PRESCRIBER_ROLES)
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_alert_for(request.user, pk)
    form = AcknowledgeForm(request.POST, prefix=f"ack-{alert.pk}")
    if attempt(
        form, lambda: actions.acknowledge_alert(alert, by=request.user, **form.cleaned_data)
    ):
        return done(alert.infusion.appointment_id, "alerts")
    appointment = get_visit_for(request.user, alert.infusion.appointment_id)
    infusion = alert.infusion
    infusion.appointment, infusion.patient = appointment, appointment.patient
    return render_page(request, appointment, infusion, **{f"ack-{alert.pk}": form})


@staff_required(roles=CHAIRSIDE_ROLES)
@require_POST
def adverse_event(request: HttpRequest, pk: int) -> HttpResponse:
    infusion = get_infusion_for(request.user, pk, "record_adverse_event")
    form = AdverseEventForm(request.POST, prefix="adverse")
    if attempt(
        form, lambda: actions.record_adverse_event(infusion, form.instance, by=request.user)
    ):
        return done(pk, "events")
    return render_page(request, infusion.appointment, infusion, adverse=form)
