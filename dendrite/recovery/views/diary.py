"""The patient's own diary, reached by their personal link (no sign-in; no portal yet).

The link's token is exchanged at once for a diary session and the page moves to
/diary/, so the token leaves the address bar, the history and any Referer."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from dendrite.patients.models import Patient

from .. import access, actions
from ..forms import DayForm, HelperForm
from ..models import DiaryLink, DrinkingDay, Source

SESSION_KEY = "dendrite_diary_link"
SAVED_KEY = "dendrite_diary_saved"
SHOWN_DAYS = 14
WITH_STAFF = _("Your care team recorded this day with you. If it needs a change, please tell them.")
ENTERED = _(
    "You already entered this day. Choose “Change” next to it below to edit it, "
    "or pick another day."
)


@require_GET
def diary_open(request: HttpRequest, token: str) -> HttpResponse:
    link = access.link_for_token(token)
    if link is None:
        return render(request, "recovery/diary_link_problem.html", status=404)
    request.session.cycle_key()
    request.session[SESSION_KEY] = link.pk
    actions.diary_link_used(link)
    return redirect("recovery:diary")


def _link(request: HttpRequest) -> DiaryLink | None:
    return access.link_by_id(request.session.get(SESSION_KEY))


def _parse(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


def _initial(row: DrinkingDay | None, day: dt.date) -> dict[str, Any]:
    if row is None:
        return {"day": day}
    return {"day": row.day, "drinks": row.drinks, "craving": row.craving, "note": row.note}


def _save(form: DayForm, patient: Patient, editing: dt.date | None) -> bool:
    """Save the day unless it is another day already entered, or one the care team
    recorded (each gets a message on the day field)."""
    day = form.cleaned_data["day"]
    taken = DrinkingDay.objects.filter(patient=patient, day=day).first()
    if taken is not None and day != editing and not taken.with_staff:
        form.add_error("day", ENTERED)
        return False
    try:
        actions.record_day(patient, source=Source.DIARY, **form.cleaned_data)
    except actions.DayRecordedWithStaff:
        form.add_error("day", WITH_STAFF)
        return False
    return True


@require_http_methods(["GET", "POST"])
def diary(request: HttpRequest) -> HttpResponse:
    link = _link(request)
    if link is None:
        return render(request, "recovery/diary_link_problem.html", status=404)
    patient = link.patient
    today = access.local_today(patient)
    editing = _parse(request.GET.get("day") or request.POST.get("editing"))
    if editing is not None and editing > today:
        editing = None
    row = DrinkingDay.objects.filter(patient=patient, day=editing).first() if editing else None
    helper = HelperForm(request.POST if "helper" in request.POST else None, prefix="helper")
    if helper.is_bound:  # the helper fills in the drinks and keeps the rest as typed
        typed = {name: request.POST.get(name, "") for name in ("day", "drinks", "craving", "note")}
        worked_out = {"drinks": helper.standard_drinks()} if helper.is_valid() else {}
        form = DayForm(today=today, initial={**typed, **worked_out})
    else:
        form = DayForm(request.POST or None, today=today, initial=_initial(row, editing or today))
        if form.is_bound and form.is_valid() and _save(form, patient, editing):
            request.session[SAVED_KEY] = form.cleaned_data["day"].isoformat()
            return redirect("recovery:diary")
    recent = {
        r.day: r for r in access.days_between(patient, today - dt.timedelta(SHOWN_DAYS), today)
    }
    shown = [today - dt.timedelta(days=n) for n in range(SHOWN_DAYS)]
    context = {
        "form": form,
        "helper": helper,
        "editing": editing if row is not None and not row.with_staff else None,
        "saved": _parse(request.session.pop(SAVED_KEY, None)),
        "days": [(day, recent.get(day)) for day in shown],
        "clinic": patient.location,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "recovery/diary.html", context, status=status)
