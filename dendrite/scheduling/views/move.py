"""Moving an appointment to another time: the free times a week at a time, one chosen."""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dendrite.accounts.decorators import staff_required

from .. import actions, gate
from .. import day as days
from ..access import SCHEDULE_ROLES, get_appointment_for
from ..forms import MoveForm
from .booking import with_hours

DAYS_SHOWN = 7


def first_day(request: HttpRequest, today: dt.date) -> dt.date:
    try:
        return max(dt.date.fromisoformat(request.GET.get("day", "")), today)
    except ValueError:
        return today


@staff_required(roles=SCHEDULE_ROLES)
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_appointment_for(request.user, pk, "move")
    if appointment.status not in actions.MOVABLE:
        raise Http404
    form = MoveForm(request.POST or None, initial={"version": appointment.version})
    if form.is_valid():
        data = form.cleaned_data
        try:
            moved = actions.move(
                appointment, starts_at=data["starts_at"], by=request.user, version=data["version"]
            )
        except actions.NotCleared:
            form.add_error(None, "Nothing was moved.")  # the page says why
        except actions.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The appointment is moved. The patient is told the new time.")
            return redirect("scheduling:appointment", moved.pk)
    location = with_hours(appointment.location)
    today = location.local_now().date()
    first = first_day(request, today)
    last = first + dt.timedelta(days=DAYS_SHOWN - 1)
    unmet = gate.unmet(appointment.patient, appointment.appointment_type)
    slots = [] if unmet else actions.move_slots(appointment, first, last)
    context = {
        "appointment": appointment, "form": form, "first": first,
        "gate": gate.reasons(unmet, appointment.patient_id, request.user),
        "times": days.group_by_day(slots, location.tz),
        "later": last + dt.timedelta(days=1),
        "earlier": max(first - dt.timedelta(days=DAYS_SHOWN), today),
    }  # fmt: skip
    return render(request, "scheduling/move.html", context, status=400 if form.errors else 200)
