"""Reminders that need a person: failed after every try, retrying, or stuck (no worker
picked them up). Staff at the location see when and on which channel, never the text,
and can ask for another try. Below them, the other messages to patients (booking
confirmations, waitlist offers) in the same state, so staff know whom to call."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import Role

from .. import actions, reminders
from ..access import (
    SENDING_ROLES,
    audit_reminders,
    get_reminder_for,
    patient_messages_needing_attention_for,
    reminders_for,
)

# Clinic admins look after the sending, not the patients: they see no names.
NAME_ROLES = frozenset({Role.FRONT_DESK, Role.NURSE, Role.PRESCRIBER})
PER_PAGE = 50


@staff_required(roles=SENDING_ROLES)
@require_GET
def sending(request: HttpRequest) -> HttpResponse:
    rows = reminders_for(request.user).select_related(
        "appointment__location", "appointment__appointment_type", "appointment__patient"
    )
    page = Paginator(rows.order_by("appointment__starts_at", "id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    shown = list(page)
    audit_reminders(request.user, shown)
    rows = [{"reminder": r, "when": reminders.when(r.appointment)} for r in shown]
    others = patient_messages_needing_attention_for(request.user, PER_PAGE)
    context = {"page": page, "rows": rows, "others": others,
               "show_names": request.user.role in NAME_ROLES}  # fmt: skip
    return render(request, "scheduling/sending.html", context)


@staff_required(roles=SENDING_ROLES)
@require_POST
def try_again(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = get_reminder_for(request.user, pk)
    if actions.reminders.try_again(reminder, by=request.user):
        messages.success(request, "The reminder will be sent again in a moment.")
    else:
        messages.info(request, "That reminder no longer needs another try.")
    return redirect("scheduling:sending")
