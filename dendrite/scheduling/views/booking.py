"""Booking one appointment for a patient: choose the visit type and a day, see the free
times of that day and the days after, pick one."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dendrite.accounts.decorators import staff_required
from dendrite.clinics.models import Location
from dendrite.patients.access import get_patient_for
from dendrite.patients.models import Patient

from .. import actions, availability, gate
from .. import day as days
from ..access import BOOKING_ROLES
from ..forms import BookForm, FindTimesForm
from ..models import Kind

DAYS_SHOWN = 7


def with_hours(location: Location) -> Location:
    prefetch_related_objects([location], "opening_hours", "closures", "chairs")
    return location


def find_data(query: QueryDict, location: Location, today: dt.date) -> QueryDict:
    """What was asked for, with a consultation on the next open day as the default,
    so the free times show as soon as the page opens."""
    data = query.copy()
    data.setdefault("appointment_type", Kind.CONSULTATION)
    data.setdefault("day", days.next_open_day(location, today).isoformat())
    return data


def free_times(patient: Patient, form: FindTimesForm, user: Any) -> dict[str, Any]:
    """The free times for what the form holds, or why there are none."""
    form.is_valid()  # a partly valid form still shows the times it can
    data = form.cleaned_data
    if "appointment_type" not in data or "day" not in data or "staff" in form.errors:
        return {}
    kind, first = data["appointment_type"], max(data["day"], form.today)
    last = first + dt.timedelta(days=DAYS_SHOWN - 1)
    try:
        actions.check_bookable(patient, kind, by=user)
    except actions.NotCleared as refusal:
        return {"gate": gate.reasons(refusal.conditions, patient.pk, user)}
    except actions.Refused as refusal:
        return {"not_bookable": str(refusal)}
    staff = data.get("staff")
    slots = availability.free_slots(
        kind, first, last, patient=patient, staff_id=staff.pk if staff else None
    )
    return {
        "chosen": {"type": kind, "staff": staff, "first": first, "last": last},
        "times": days.group_by_day(slots, patient.location.tz),
        "later": last + dt.timedelta(days=1),
        "earlier": max(first - dt.timedelta(days=DAYS_SHOWN), form.today),
    }


@staff_required(roles=BOOKING_ROLES)
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    location = with_hours(patient.location)
    today = location.local_now().date()
    if request.method == "GET":
        form = FindTimesForm(
            find_data(request.GET, location, today), location=location, today=today
        )
    else:
        form = BookForm(request.POST, location=location, today=today)
        if form.is_valid():
            data = form.cleaned_data
            try:
                appointment = actions.book(
                    patient, data["appointment_type"], starts_at=data["starts_at"],
                    by=request.user, staff_id=data["staff"].pk if data["staff"] else None,
                )  # fmt: skip
            except actions.NotCleared:
                form.add_error(None, "Nothing was booked.")  # the page says why
            except actions.Refused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, "The appointment is booked.")
                return redirect("scheduling:appointment", appointment.pk)
    context = {"patient": patient, "form": form, **free_times(patient, form, request.user)}
    return render(request, "scheduling/book.html", context, status=400 if form.errors else 200)
