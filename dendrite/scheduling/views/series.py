"""Booking an induction series: choose the protocol and the first day, look at the plan,
book it all at once. A plan that went stale while being looked at is planned again."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dendrite.accounts.decorators import staff_required
from dendrite.patients.access import get_patient_for
from dendrite.patients.models import Patient

from .. import actions, gate
from .. import day as days
from ..access import BOOKING_ROLES
from ..forms import ConfirmSeriesForm, SeriesForm
from .booking import with_hours

FRESH_PLAN = "Nothing was booked. {refusal} Below is a fresh plan from the same first day."


def plan(patient: Patient, form: SeriesForm, user: Any) -> dict[str, Any]:
    """The preview for a valid form, or the form with the reason there is none."""
    if not form.is_valid():
        return {"form": form}
    data = form.cleaned_data
    try:
        slots = actions.preview_series(
            patient, data["protocol"], first_day=data["first_day"],
            preferred_time=data["preferred_time"], by=user,
        )  # fmt: skip
    except actions.NotCleared as refusal:
        return {"form": form, "gate": gate.reasons(refusal.conditions, patient.pk, user)}
    except actions.Refused as refusal:
        form.add_error(None, str(refusal))
        return {"form": form}
    planned = days.describe(slots, patient.location)
    starts = [time.value for time in planned]
    confirm = ConfirmSeriesForm(initial={**data, "starts": starts}, location=patient.location)
    return {"form": form, "planned": planned, "confirm": confirm}


@staff_required(roles=BOOKING_ROLES)
@require_GET
def series(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    location = with_hours(patient.location)
    if request.GET:
        context = plan(patient, SeriesForm(request.GET, location=location), request.user)
    else:
        today = location.local_now().date()
        initial = {"first_day": days.next_open_day(location, today)}
        unmet = gate.unmet(patient)  # said before anyone plans
        context = {
            "form": SeriesForm(initial=initial, location=location),
            "gate": gate.reasons(unmet, patient.pk, request.user),
        }
    refused = context["form"].errors or (request.GET and context.get("gate"))
    status = 400 if refused else 200
    return render(request, "scheduling/series.html", {"patient": patient, **context}, status=status)


@staff_required(roles=BOOKING_ROLES)
@require_POST
def series_book(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id, "edit")
    location = with_hours(patient.location)
    form = ConfirmSeriesForm(request.POST, location=location)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.book_series(patient, data["protocol"], starts=data["starts"], by=request.user)
        except actions.NotCleared:
            messages.error(request, "Nothing was booked.")  # the page says why
        except actions.Refused as refusal:
            messages.error(request, FRESH_PLAN.format(refusal=refusal))
        else:
            messages.success(request, f"All {len(data['starts'])} infusions are booked.")
            return redirect(reverse("patients:chart", args=[patient.pk]) + "#schedule")
    context = plan(patient, SeriesForm(request.POST, location=location), request.user)
    return render(request, "scheduling/series.html", {"patient": patient, **context}, status=409)
