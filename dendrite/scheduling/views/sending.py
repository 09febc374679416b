"""Reminders that need a person: failed after every try, retrying, or stuck (no worker
picked them up). Staff at the location see when and on which channel, never the text,
and can ask for another try. Below them, the other messages to patients (booking
confirmations, waitlist offers) in the same state, so staff know whom to call."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dendrite.accounts.access import scope_for
from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import Role
from dendrite.audit.log import record
from dendrite.audit.models import AuditEvent

from .. import messaging, reminders
from ..models import PatientMessage, Reminder

SENDING_ROLES = frozenset({Role.FRONT_DESK, Role.NURSE, Role.PRESCRIBER, Role.CLINIC_ADMIN})
# Clinic admins look after the sending, not the patients: they see no names.
NAME_ROLES = frozenset({Role.FRONT_DESK, Role.NURSE, Role.PRESCRIBER})
PER_PAGE = 50


def _reminders_for(user: Any) -> QuerySet[Reminder]:
    queryset = Reminder.objects.filter(reminders.needs_attention(timezone.now()))
    return scope_for(user, queryset, "appointment__location")


@staff_required(roles=SENDING_ROLES)
@require_GET
def sending(request: HttpRequest) -> HttpResponse:
    rows = _reminders_for(request.user).select_related(
        "appointment__location", "appointment__appointment_type", "appointment__patient"
    )
    page = Paginator(rows.order_by("appointment__starts_at", "id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    shown = list(page)
    record("scheduling.reminder.list", user=request.user, object_type="reminder",
           detail={"ids": [r.pk for r in shown]})  # fmt: skip
    rows = [{"reminder": r, "when": reminders.when(r.appointment)} for r in shown]
    others = _messages_for(request.user)
    context = {"page": page, "rows": rows, "others": others,
               "show_names": request.user.role in NAME_ROLES}  # fmt: skip
    return render(request, "scheduling/sending.html", context)


def _messages_for(user: Any) -> list[PatientMessage]:
    """The newest messages needing a hand (at most a page of them), audited as shown."""
    queryset = PatientMessage.objects.filter(messaging.needs_attention(timezone.now()))
    shown = list(
        scope_for(user, queryset, "location")
        .select_related("patient", "location")
        .order_by("-created_at", "-id")[:PER_PAGE]
    )
    if shown:
        record("scheduling.patientmessage.list", user=user, object_type="patientmessage",
               detail={"ids": [m.pk for m in shown]})  # fmt: skip
    return shown


@staff_required(roles=SENDING_ROLES)
@require_POST
def try_again(request: HttpRequest, pk: int) -> HttpResponse:
    mine = scope_for(request.user, Reminder.objects.all(), "appointment__location")
    reminder = mine.select_related("appointment").filter(pk=pk).first()
    if reminder is None:
        record("scheduling.reminder.retry", user=request.user, object_type="reminder",
               object_id=pk, outcome=AuditEvent.Outcome.DENIED)  # fmt: skip
        raise Http404
    if reminders.try_again(reminder, by=request.user):
        messages.success(request, "The reminder will be sent again in a moment.")
    else:
        messages.info(request, "That reminder no longer needs another try.")
    return redirect("scheduling:sending")
