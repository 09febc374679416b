"""The patient's appointments: upcoming and past, confirm, cancel with a reason (the
late-cancel rule shown first), ask for a change (a front-desk task), the .ics file."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dendrite.scheduling import ical
from dendrite.scheduling.actions import Refused
from dendrite.scheduling.actions.appointments import is_late
from dendrite.scheduling.forms import PatientCancelForm
from dendrite.scheduling.models import RELEASED, Status

from .. import access, actions, auth
from ..forms import ChangeRequestForm


@require_GET
@auth.patient_required
def appointment_list(request: HttpRequest) -> HttpResponse:
    upcoming, past = access.appointments(auth.portal_of(request))
    return render(request, "portal/appointments.html", {"upcoming": upcoming, "past": past})


def _context(appointment, **extra):  # type: ignore[no-untyped-def]
    open_ = appointment.status not in RELEASED and appointment.starts_at > timezone.now()
    return {
        "appointment": appointment,
        "open": open_,
        "may_confirm": open_ and appointment.status == Status.BOOKED,
        "late": open_ and is_late(appointment),
        "late_hours": settings.SCHEDULING_LATE_CANCEL_HOURS,
    } | extra


@require_GET
@auth.patient_required
def appointment(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_appointment(auth.portal_of(request), pk)
    return render(request, "portal/appointment.html", _context(found))


@require_POST
@auth.patient_required
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_appointment(auth.portal_of(request), pk)
    try:
        actions.confirm(found)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Thank you: your appointment is confirmed."))
    return redirect("portal:appointment", found.pk)


@require_http_methods(["GET", "POST"])
@auth.patient_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_appointment(auth.portal_of(request), pk)
    form = PatientCancelForm(request.POST or None)  # the same question as the reminder's page
    refusal = ""
    if form.is_valid():
        try:
            actions.cancel(found, reason=form.cleaned_data["reason"])
        except Refused as refused:
            refusal = str(refused)
        else:
            messages.success(request, _("Your appointment is cancelled."))
            return redirect("portal:appointment", found.pk)
    status = 400 if form.errors or refusal else 200
    context = _context(found, form=form, refusal=refusal)
    return render(request, "portal/cancel.html", context, status=status)


@require_http_methods(["GET", "POST"])
@auth.patient_required
def change(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_appointment(auth.portal_of(request), pk)
    form = ChangeRequestForm(request.POST or None)
    if form.is_valid() and found.status not in RELEASED:
        actions.request_change(found, note=form.cleaned_data["note"])
        messages.success(request, _("Thank you. Our front desk will call you to find a new time."))
        return redirect("portal:appointment", found.pk)
    status = 400 if form.errors else 200
    return render(request, "portal/change.html", _context(found, form=form), status=status)


@require_GET
@auth.patient_required
def ics(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_appointment(auth.portal_of(request), pk)
    response = HttpResponse(ical.appointment_ics([found]), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return response
