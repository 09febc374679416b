"""The waitlist of the user's locations: add a patient, see offers, book or remove.

Messages name patients by MRN only: the message storage may keep them in a cookie."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dendrite.accounts.decorators import staff_required
from dendrite.patients.access import get_patient_for

from .. import actions, gate, waitlist
from ..access import (
    BOOKING_ROLES,
    SCHEDULE_ROLES,
    audit_waitlist,
    get_waitlist_entry_for,
    waitlist_for,
)
from ..forms import WaitlistForm
from ..models import WaitlistStatus


@staff_required(roles=SCHEDULE_ROLES)
@require_GET
def waitlist_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(waitlist_for(request.user), 50).get_page(request.GET.get("page"))
    entries = list(page)
    audit_waitlist(request.user, entries)
    unmet = waitlist.not_cleared(entries)
    rows = [
        (entry, gate.reasons(unmet.get(entry.pk, []), entry.patient_id, request.user))
        for entry in entries
    ]
    return render(request, "scheduling/waitlist.html", {"page": page, "rows": rows})


@staff_required(roles=BOOKING_ROLES)
@require_http_methods(["GET", "POST"])
def waitlist_add(request: HttpRequest) -> HttpResponse:
    patient = get_patient_for(request.user, request.GET.get("patient"))
    today = timezone.now().astimezone(patient.location.tz).date()
    form = WaitlistForm(request.POST or None, patient=patient, today=today)
    if request.method == "POST" and form.is_valid():
        actions.waitlist.add(form.instance, by=request.user)
        messages.success(request, f"MRN {patient.mrn} is on the waitlist.")
        return redirect("scheduling:waitlist")
    status = 400 if form.errors else 200
    context = {"form": form, "patient": patient}
    return render(request, "scheduling/waitlist_add.html", context, status=status)


@staff_required(roles=SCHEDULE_ROLES)
@require_POST
def waitlist_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_waitlist_entry_for(request.user, pk, action="edit")
    if entry.status in (WaitlistStatus.WAITING, WaitlistStatus.OFFERED):
        actions.waitlist.set_status(entry, WaitlistStatus.REMOVED, by=request.user)
        messages.success(request, f"MRN {entry.patient.mrn} is off the waitlist.")
    return redirect("scheduling:waitlist")


@staff_required(roles=SCHEDULE_ROLES)
@require_POST
def waitlist_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """The patient did not want the offered time: back to waiting for the next one."""
    entry = get_waitlist_entry_for(request.user, pk, action="edit")
    if entry.status == WaitlistStatus.OFFERED:
        actions.waitlist.set_status(entry, WaitlistStatus.WAITING, by=request.user)
        messages.success(request, f"MRN {entry.patient.mrn} is waiting again.")
    return redirect("scheduling:waitlist")


@staff_required(roles=SCHEDULE_ROLES)
@require_POST
def waitlist_book(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_waitlist_entry_for(request.user, pk, action="edit")
    if entry.status != WaitlistStatus.OFFERED:
        messages.error(request, "That offer has already been dealt with; here is the list now.")
        return redirect("scheduling:waitlist")
    try:
        actions.waitlist.book_offer(entry, by=request.user)
    except actions.Refused as refusal:
        messages.error(request, f"The offered time could not be booked: {refusal}")
        return redirect("scheduling:waitlist")
    messages.success(
        request,
        f"MRN {entry.patient.mrn} is booked. If they had a later appointment for the "
        "same visit, remember to cancel it.",
    )
    return redirect("scheduling:waitlist")
