"""The pages a patient reaches from a reminder: confirm, or cancel with a reason.

No sign-in: the signed link (links.py) is the key, and it names only the appointment.
A changed, expired or wrong-purpose link gets a kind page, never an error. Each page
view is audited; the confirm and cancel themselves are audited by their actions.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from dendrite.clinics.models import Location

from .. import actions, links
from ..access import get_appointment_by_link
from ..forms import PatientCancelForm
from ..models import RELEASED, Appointment, Status
from ..reminders import when


def local_when(appointment: Appointment) -> str:
    """The start in the location's time, in the page's language."""
    return when(appointment, get_language())


def _open(request: HttpRequest, token: str, purpose: str) -> Appointment | HttpResponse:
    """The appointment the link names, or the page to show instead."""
    appointment = get_appointment_by_link(token, purpose)
    if appointment is None:
        context = {"locations": Location.objects.active()}
        return render(request, "scheduling/public_link_problem.html", context, status=400)
    return appointment


def _context(appointment: Appointment, **extra: object) -> dict[str, object]:
    location = appointment.location
    closed = appointment.status in RELEASED or appointment.starts_at <= timezone.now()
    return {
        "appointment": appointment,
        "when": local_when(appointment),
        "visit_name": appointment.appointment_type.name,
        "address": ", ".join(location.address_lines),
        "cancelled": appointment.status in RELEASED,
        "closed": closed,
    } | extra


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _open(request, token, links.CONFIRM)
    if isinstance(appointment, HttpResponse):
        return appointment
    refusal = ""
    if request.method == "POST" and appointment.status == Status.BOOKED:
        try:
            actions.confirm_by_patient(appointment)
            return redirect(request.path)
        except actions.Refused as refused:
            refusal = str(refused)
    context = _context(appointment, refusal=refusal)
    return render(request, "scheduling/public_confirm.html", context)


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _open(request, token, links.CANCEL)
    if isinstance(appointment, HttpResponse):
        return appointment
    form = PatientCancelForm(request.POST or None)
    refusal = ""
    if form.is_valid() and appointment.status not in RELEASED:
        try:
            actions.cancel_by_patient(appointment, reason=form.cleaned_data["reason"])
            return redirect(request.path)
        except actions.Refused as refused:
            refusal = str(refused)
    context = _context(appointment, form=form, refusal=refusal)
    return render(request, "scheduling/public_cancel.html", context)
