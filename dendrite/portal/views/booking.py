"""Book a visit: what the patient may book now, the free times week by week, a page to
confirm, and the booking (actions.book_visit). Refusals are in the patient's words:
"that time was just taken" with fresh times, or "please call the clinic"."""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dendrite.patients.models import Patient
from dendrite.scheduling.actions import Taken

from .. import access, actions, auth, booking


def _taken(request: HttpRequest, slug: str) -> HttpResponse:
    messages.error(
        request, _("Sorry, that time was just taken. Please choose one of the times still free.")
    )
    return redirect("portal:book_times", slug)


@require_GET
@auth.patient_required
def book(request: HttpRequest) -> HttpResponse:
    portal = auth.portal_of(request)
    choices = booking.choices(portal.patient)
    access.audit_read(portal, "booking.list", detail={"kinds": [c.slug for c in choices]})
    context = {"choices": choices, "clinic": portal.patient.location}
    return render(request, "portal/book.html", context)


@require_GET
@auth.patient_required
def times(request: HttpRequest, kind: str) -> HttpResponse:
    portal = auth.portal_of(request)
    choice = booking.bookable(portal.patient, kind)
    weeks = booking.week_count(choice)
    try:
        week = min(max(int(request.GET.get("week", 0)), 0), weeks - 1)
    except ValueError:
        week = 0
    days = booking.free_times(portal.patient, choice, week)
    context = {
        "choice": choice, "days": days, "week": week, "weeks": weeks,
        "clinic": choice.appointment_type.location,
    }  # fmt: skip
    return render(request, "portal/book_times.html", context)


@require_http_methods(["GET", "POST"])
@auth.patient_required
def confirm(request: HttpRequest, kind: str) -> HttpResponse:
    portal = auth.portal_of(request)
    starts_at = booking.parse_at(request.POST.get("at", request.GET.get("at")))
    if request.method == "POST":
        return _book(request, portal.patient, kind, starts_at)
    choice = booking.bookable(portal.patient, kind)
    if not booking.is_offered(portal.patient, choice, starts_at):
        return _taken(request, choice.slug)
    context = {
        "choice": choice, "starts_at": starts_at, "at": booking.at_text(starts_at),
        "clinic": choice.appointment_type.location,
        "back": reverse("portal:book_times", args=[choice.slug]),
    }  # fmt: skip
    return render(request, "portal/book_confirm.html", context)


def _book(request: HttpRequest, patient: Patient, kind: str, at: dt.datetime) -> HttpResponse:
    """The booking (a repeated click lands on the same appointment). A visit the patient
    is not shown at all is a 404; one the gate refuses asks them to call."""
    try:
        appointment = actions.book_visit(patient, kind, at)
    except Taken:
        return _taken(request, kind)
    except actions.NotBookable:
        if not booking.shown(patient, kind):
            raise Http404 from None
        messages.error(
            request, _("We could not book this visit online. Please call the clinic to book it.")
        )
        return redirect("portal:book")
    messages.success(request, _("Your visit is booked. We have sent you a confirmation."))
    return redirect("portal:appointment", appointment.pk)
