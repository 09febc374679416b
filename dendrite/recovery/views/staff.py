"""Staff screens of a patient's drinking record: the overview with the diary link, a
day entered or corrected for the patient, and the Timeline Followback month."""

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import CLINICAL_ROLES

from .. import access, actions
from ..forms import DayForm, FollowbackForm, MarkerForm
from ..models import DiaryLink, Source

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FOLLOWBACK_DAYS = 30
SENT = "A new diary link is on its way to the patient; any earlier link no longer works."
NO_CHANNEL = (
    "No link was sent: the patient has not agreed to e-mail or text messages, or we have no "
    "address for them. Record their consent and contact details, then send the link."
)  # the usual Timeline Followback window — CLINICAL.md §2 [R59]


@staff_required(roles=CLINICAL_ROLES)
@require_http_methods(["GET"])
def overview(request: HttpRequest, patient_pk: int) -> HttpResponse:
    patient = access.get_recovery_patient_for(request.user, patient_pk)
    context = {"patient": patient, "links": access.diary_links(patient), "now": timezone.now()}
    return render(request, "recovery/overview.html", context)


@staff_required(roles=CLINICAL_ROLES)
@require_POST
def link_issue(request: HttpRequest, patient_pk: int) -> HttpResponse:
    patient = access.get_recovery_patient_for(request.user, patient_pk, edit=True)
    try:
        actions.issue_diary_link(patient, by=request.user)
    except actions.NoChannel:
        messages.warning(request, NO_CHANNEL)
    else:
        messages.success(request, SENT)
    return redirect("recovery:overview", patient.pk)


@staff_required(roles=CLINICAL_ROLES)
@require_POST
def link_revoke(request: HttpRequest, patient_pk: int, pk: int) -> HttpResponse:
    patient = access.get_recovery_patient_for(request.user, patient_pk, edit=True)
    link = DiaryLink.objects.filter(patient=patient, pk=pk).first()
    if link is not None:
        actions.revoke_diary_link(link, by=request.user)
        messages.success(request, "The diary link no longer works.")
    return redirect("recovery:overview", patient.pk)


@staff_required(roles=CLINICAL_ROLES)
@require_http_methods(["GET", "POST"])
def day_entry(request: HttpRequest, patient_pk: int) -> HttpResponse:
    patient = access.get_recovery_patient_for(request.user, patient_pk, edit=True)
    today = access.local_today(patient)
    form = DayForm(request.POST or None, today=today, initial={"day": today})
    if form.is_valid():
        actions.record_day(patient, source=Source.STAFF, by=request.user, **form.cleaned_data)
        messages.success(request, f"Saved {form.cleaned_data['day']:%a, %b %-d, %Y}.")
        return redirect("recovery:overview", patient.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "recovery/day_entry.html", {"patient": patient, "form": form}, status=status
    )


def _weeks(days: list[dt.date]) -> list[list[dt.date | None]]:
    """The window's days in rows Monday to Sunday, with gaps before and after."""
    start = days[0] - dt.timedelta(days=days[0].weekday())
    weeks: list[list[dt.date | None]] = []
    day = start
    while day <= days[-1]:
        weeks.append(
            [
                d if days[0] <= d <= days[-1] else None
                for d in (day + dt.timedelta(days=n) for n in range(7))
            ]
        )
        day += dt.timedelta(weeks=1)
    return weeks


@staff_required(roles=CLINICAL_ROLES)
@require_http_methods(["GET", "POST"])
def followback(request: HttpRequest, patient_pk: int) -> HttpResponse:
    patient = access.get_recovery_patient_for(
        request.user, patient_pk, edit=request.method == "POST"
    )
    end = access.local_today(patient) - dt.timedelta(days=1)
    days = [end - dt.timedelta(days=n) for n in range(FOLLOWBACK_DAYS - 1, -1, -1)]
    rows = {row.day: row for row in access.days_between(patient, days[0], end)}
    initial = {FollowbackForm.name_for(day): row.drinks for day, row in rows.items()}
    posted = request.POST if "followback" in request.POST else None
    form = FollowbackForm(posted, days=days, initial=initial)
    marker_form = MarkerForm(request.POST if "marker" in request.POST else None)
    if form.is_bound and form.is_valid():
        count = actions.record_followback(patient, form.entered(), by=request.user)
        messages.success(request, f"Saved {count} days of the Timeline Followback.")
        return redirect("recovery:followback", patient.pk)
    if marker_form.is_bound and marker_form.is_valid():
        actions.set_marker(patient, by=request.user, **marker_form.cleaned_data)
        messages.success(request, "Marker day saved.")
        return redirect("recovery:followback", patient.pk)
    markers = access.markers_between(patient, days[0], end)
    grid = [
        [
            None
            if day is None
            else (day, form[FollowbackForm.name_for(day)], markers.get(day, ""), rows.get(day))
            for day in week
        ]
        for week in _weeks(days)
    ]
    context = {
        "patient": patient,
        "form": form,
        "marker_form": marker_form,
        "grid": grid,
        "start": days[0],
        "end": end,
        "weekdays": WEEKDAYS,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "recovery/followback.html", context, status=status)
