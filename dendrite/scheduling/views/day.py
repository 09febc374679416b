"""The day view: one location's chairs and staff, quarter hour by quarter hour."""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from dendrite.accounts.decorators import staff_required

from .. import day as days
from ..access import SCHEDULE_ROLES, appointments_for, audit_list, get_location_day_for
from ..forms import DayForm


@staff_required(roles=SCHEDULE_ROLES)
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    """The day picker's target; with nothing chosen, today at the user's first location."""
    form = DayForm(request.GET or None, user=request.user)
    if form.is_valid():
        location, day = form.cleaned_data["location"], form.cleaned_data["day"]
        return redirect("scheduling:day", location.pk, day.isoformat())
    if form.is_bound:
        messages.error(request, "Please enter a date, such as 2026-03-09. Here is today.")
    location = form.fields["location"].queryset.first()
    if location is None:
        raise Http404
    return redirect("scheduling:day", location.pk, location.local_now().date().isoformat())


@staff_required(roles=SCHEDULE_ROLES)
@require_GET
def day_view(request: HttpRequest, location_id: int, day: str) -> HttpResponse:
    try:
        date: dt.date | None = dt.date.fromisoformat(day)
    except ValueError:
        date = None
    location = get_location_day_for(request.user, location_id, date or dt.date.min)
    if date is None:  # a day that does not exist: after the location's audited check
        raise Http404
    schedule = days.build(location, date, appointments_for(request.user), request.user)
    today = location.local_now().date()
    unreachable = []
    if date >= today:  # tomorrow's reminders that cannot go out, while there is time
        unreachable = days.unreachable_next_day(location, date, appointments_for(request.user))
    audit_list(request.user, [*schedule.shown, *unreachable], "day")
    picker = DayForm(initial={"location": location, "day": date}, user=request.user)
    context = {
        "schedule": schedule, "picker": picker, "several": len(request.user.location_ids) > 1,
        "previous": (date - dt.timedelta(days=1)).isoformat(),
        "next": (date + dt.timedelta(days=1)).isoformat(),
        "today": today.isoformat(),
        "unreachable": unreachable,
        "next_day": date + dt.timedelta(days=1),
    }  # fmt: skip
    return render(request, "scheduling/day.html", context)
