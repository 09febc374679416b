import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import CLINICAL_ROLES, Role

from . import actions, coverage
from .access import (
    LIST_ROLES,
    alert_events,
    audit_list,
    get_alert_for,
    get_shift_for,
    open_alerts_for,
    shifts_for,
)
from .forms import CloseForm, NoteForm, ShiftForm
from .models import SafetyAlert

PER_PAGE = 25
ROTA_DAYS = 14  # how far ahead the rota page looks for gaps


@staff_required(roles=LIST_ROLES)
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    """Open alerts at the user's locations. Clinic admins, who get the escalations, see
    that an alert is open and who handles it; only clinicians open it and read answers."""
    alerts = open_alerts_for(request.user).select_related("lead", "patient", "acknowledged_by")
    page = Paginator(alerts.by_urgency(), PER_PAGE).get_page(request.GET.get("page"))
    audit_list(request.user, page)
    context = {"page": page, "now": timezone.now(), "clinical": request.user.is_clinical}
    return render(request, "alerts/alert_list.html", context)


@staff_required(roles=CLINICAL_ROLES)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_alert_for(request.user, pk)
    return _detail(request, alert)


def _detail(request: HttpRequest, alert: SafetyAlert, **forms: object) -> HttpResponse:
    context = {
        "alert": alert,
        "events": list(alert_events(alert)),
        "acknowledge_form": forms.get("acknowledge_form") or NoteForm(prefix="ack"),
        "attempt_form": forms.get("attempt_form") or NoteForm(prefix="attempt"),
        "close_form": forms.get("close_form") or CloseForm(prefix="close"),
    }
    status = 400 if forms else 200
    return render(request, "alerts/detail.html", context, status=status)


@staff_required(roles=CLINICAL_ROLES)
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_alert_for(request.user, pk)
    form = NoteForm(request.POST, prefix="ack")
    if not form.is_valid():
        return _detail(request, alert, acknowledge_form=form)
    actions.acknowledge(alert, by=request.user, note=form.cleaned_data["note"])
    messages.success(request, "Thank you. You are recorded as handling this alert.")
    return redirect("alerts:detail", pk)


@staff_required(roles=CLINICAL_ROLES)
@require_POST
def attempt(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_alert_for(request.user, pk)
    form = NoteForm(request.POST, prefix="attempt")
    if not form.is_valid():
        return _detail(request, alert, attempt_form=form)
    actions.record_attempt(alert, by=request.user, note=form.cleaned_data["note"])
    messages.success(request, "The attempt is recorded. The alert stays open; try again soon.")
    return redirect("alerts:detail", pk)


@staff_required(roles=CLINICAL_ROLES)
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_alert_for(request.user, pk)
    form = CloseForm(request.POST, prefix="close")
    if not form.is_valid():
        return _detail(request, alert, close_form=form)
    actions.close(alert, by=request.user, **form.cleaned_data)
    messages.success(request, "Thank you. The outcome is recorded and the alert is closed.")
    return redirect("alerts:list")


@staff_required()
@require_http_methods(["GET", "POST"])
def rota(request: HttpRequest) -> HttpResponse:
    """Who is on call, per location, for the next two weeks, with the gaps. Clinic admins
    add shifts here."""
    admin = request.user.role == Role.CLINIC_ADMIN
    locations = request.user.locations.order_by("name")
    form = ShiftForm(request.POST or None, locations=locations) if admin else None
    if form is not None and form.is_valid():
        actions.add_shift(form.save(commit=False), by=request.user)
        messages.success(request, "The shift is on the rota.")
        return redirect("alerts:rota")
    now = timezone.now()
    end = now + dt.timedelta(days=ROTA_DAYS)
    shifts = list(shifts_for(request.user).filter(ends_at__gt=now, starts_at__lt=end))
    rows = []
    for location in locations:
        own = [s for s in shifts if s.location_id == location.pk]
        gaps = coverage.gaps([(s.starts_at, s.ends_at) for s in own], now, end)
        rows.append({"location": location, "shifts": own, "gaps": gaps})
    status = 400 if form is not None and form.is_bound else 200
    context = {"rows": rows, "form": form, "admin": admin, "days": ROTA_DAYS, "now": now}
    return render(request, "alerts/rota.html", context, status=status)


@staff_required(roles=[Role.CLINIC_ADMIN])
@require_POST
def remove_shift(request: HttpRequest, pk: int) -> HttpResponse:
    shift = get_shift_for(request.user, pk)
    actions.remove_shift(shift, by=request.user)
    messages.success(request, "The shift is off the rota.")
    return redirect("alerts:rota")
