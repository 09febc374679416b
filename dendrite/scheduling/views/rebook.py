"""Rebooking a missed infusion of a series, within the window its protocol leaves."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dendrite.accounts.decorators import staff_required

from .. import actions, gate
from .. import day as days
from ..access import SCHEDULE_ROLES, get_appointment_for
from ..forms import RebookForm
from ..models import RELEASED, Appointment


def free_times(missed: Appointment, user: Any) -> dict[str, Any]:
    unmet = gate.unmet(missed.patient, missed.appointment_type)
    if unmet:  # said before anyone picks a time
        return {"gate": gate.reasons(unmet, missed.patient_id, user)}
    try:
        slots = actions.rebook_slots(missed)
    except actions.Refused as refusal:
        return {"no_times": str(refusal)}
    return {"times": days.group_by_day(slots, missed.location.tz)}


@staff_required(roles=SCHEDULE_ROLES)
@require_http_methods(["GET", "POST"])
def rebook(request: HttpRequest, pk: int) -> HttpResponse:
    missed = get_appointment_for(request.user, pk, "rebook")
    rebooked = Appointment.objects.filter(rebooks=missed).exists()
    if not missed.series_id or missed.status not in RELEASED or rebooked:
        raise Http404
    form = RebookForm(request.POST or None)
    if form.is_valid():
        try:
            new = actions.rebook(missed, starts_at=form.cleaned_data["starts_at"], by=request.user)
        except actions.NotCleared:
            form.add_error(None, "Nothing was booked.")  # the page says why
        except actions.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The infusion is rebooked.")
            return redirect("scheduling:appointment", new.pk)
    context = {"missed": missed, "form": form, **free_times(missed, request.user)}
    return render(request, "scheduling/rebook.html", context, status=400 if form.errors else 200)
