"""A confirmation that could not be sent: record the patient's consent at the desk (and
send it), or print it for them."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from dendrite.accounts.decorators import staff_required
from dendrite.patients.access import get_patient_for

from .. import actions
from ..access import BOOKING_ROLES, SCHEDULE_ROLES, get_appointment_for
from ..forms import ContactConsentForm
from ..reminders import message_context
from .appointment import detail_context


@staff_required(roles=BOOKING_ROLES)
@require_POST
def record_consent(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_appointment_for(request.user, pk, "change")
    get_patient_for(request.user, appointment.patient_id, "edit")  # a consent is in the chart
    form = ContactConsentForm(request.POST)
    if not form.is_valid():
        context = detail_context(appointment, request.user, consent_form=form)
        return render(request, "scheduling/appointment.html", context, status=400)
    channels = actions.confirmations.record_consent_and_confirm(
        appointment, by=request.user, **form.cleaned_data
    )
    if channels:
        messages.success(request, "The consent is recorded and the confirmation is on its way.")
    else:
        messages.error(
            request, "The consent is recorded, but there is still no address to send to."
        )
    return redirect("scheduling:appointment", appointment.pk)


@staff_required(roles=SCHEDULE_ROLES)
@require_GET
def print_confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    """The booking confirmation as a page to print and hand over."""
    appointment = get_appointment_for(request.user, pk)
    context = {"appointment": appointment, **message_context([appointment])}
    return render(request, "scheduling/confirmation_print.html", context)
