"""One appointment: its details, the next step of its day, and cancelling with a reason."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.names import full_names
from dendrite.audit.models import AuditEvent

from .. import actions, messaging, panels
from .. import day as days
from ..access import BOOKING_ROLES, SCHEDULE_ROLES, get_appointment_for
from ..forms import CancelForm, ContactConsentForm, StatusForm, UndoForm
from ..models import RELEASED, Appointment, DayRules, Status

NOT_UNDERSTOOD = "That change was not understood, so nothing was changed. Please try again."


def day_url(appointment: Appointment) -> str:
    day = appointment.local_start.date().isoformat()
    return reverse("scheduling:day", args=[appointment.location_id, day])


def back(request: HttpRequest, appointment: Appointment) -> HttpResponse:
    """Where the button was pressed: the appointment's page or its day."""
    if request.POST.get("back") == "appointment":
        return redirect("scheduling:appointment", appointment.pk)
    return redirect(day_url(appointment))


HISTORY_ACTIONS = {
    "scheduling.appointment.book": "Booked",
    "scheduling.appointment.rebook": "Booked again for a missed infusion",
    "scheduling.appointment.confirm": "Confirmed by the patient",
    "scheduling.appointment.cancel": "Cancelled",
    "scheduling.appointment.move": "Moved to another time",
}
STEP_ACTIONS = {
    "scheduling.appointment.status": "Marked “{}”",
    "scheduling.appointment.undo": "Undid “{}”",
}


def history(appointment: Appointment) -> list[tuple[Any, str, str]]:
    """(when, who, what) for each change of the appointment, read from the audit trail."""
    events = AuditEvent.objects.filter(
        patient_id=str(appointment.patient_id),
        object_type="scheduling.appointment",
        object_id=str(appointment.pk),
        action__in=[*HISTORY_ACTIONS, *STEP_ACTIONS],
        outcome=AuditEvent.Outcome.SUCCESS,
    ).order_by("at", "id")
    rows = []
    names = full_names((event.actor_id for event in events), with_role=True)
    for event in events:
        if event.action in STEP_ACTIONS:
            step = Status(event.detail.get("to" if event.action.endswith("status") else "from"))
            what = STEP_ACTIONS[event.action].format(step.label)
        else:
            what = HISTORY_ACTIONS[event.action]
            if event.detail.get("by_patient"):
                what += " by the patient"
            if event.detail.get("late"):
                what += " (late)"
        who = (
            names.get(event.actor_id or 0, "a former staff member")
            if event.actor_id
            else ("the patient's own link")
        )
        rows.append((event.at, who, what))
    return rows


def detail_context(
    appointment: Appointment,
    user: Any,
    cancel_form: CancelForm | None = None,
    consent_form: ContactConsentForm | None = None,
) -> dict[str, Any]:
    rebooked_as = Appointment.objects.filter(rebooks=appointment).first()
    rules = DayRules.for_location(appointment.location_id)
    return {
        "appointment": appointment,
        "next_actions": days.next_status_actions(appointment, user, rules),
        "chairside_url": days.chairside_step(appointment, user),
        "undo_label": days.undo_label(appointment, rules),
        "may_cancel": days.may_cancel(appointment),
        "cancel_form": cancel_form or CancelForm(initial={"version": appointment.version}),
        "rebooked_as": rebooked_as,
        "may_rebook": bool(
            appointment.series_id and appointment.status in RELEASED and rebooked_as is None
        ),
        "day_url": day_url(appointment),
        "history": history(appointment),
        "may_move": appointment.status in actions.MOVABLE,
        "panels": panels.render_panels(appointment, user),
        **unsent(appointment, user, consent_form),
    }


def unsent(
    appointment: Appointment, user: Any, consent_form: ContactConsentForm | None
) -> dict[str, Any]:
    """Why a coming appointment's confirmation and reminders cannot reach the patient
    (nothing if they can), with the consent form for who may record one."""
    if not appointment.is_holding or appointment.starts_at < timezone.now():
        return {}
    reasons = messaging.why_unreachable(appointment.patient)
    if not reasons:
        return {}
    today = appointment.location.local_now().date()
    return {
        "unreachable": reasons,
        "may_record_consent": user.role in BOOKING_ROLES,
        "consent_form": consent_form or ContactConsentForm(initial={"date": today}),
    }


@staff_required(roles=SCHEDULE_ROLES)
@require_GET
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_appointment_for(request.user, pk)
    return render(request, "scheduling/appointment.html", detail_context(appointment, request.user))


@staff_required(roles=SCHEDULE_ROLES)
@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_appointment_for(request.user, pk, "change")
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, NOT_UNDERSTOOD)
        return back(request, appointment)
    try:
        changed = actions.change_status(
            appointment, form.cleaned_data["status"], by=request.user,
            version=form.cleaned_data["version"],
        )  # fmt: skip
    except actions.Refused as refusal:
        messages.error(request, str(refusal))
    else:  # no names in messages: they travel in a cookie
        messages.success(request, f"The appointment is now “{changed.get_status_display()}”.")
    return back(request, appointment)


@staff_required(roles=SCHEDULE_ROLES)
@require_POST
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo the last step of the day, within the location's undo time."""
    appointment = get_appointment_for(request.user, pk, "change")
    form = UndoForm(request.POST)
    if not form.is_valid():
        messages.error(request, NOT_UNDERSTOOD)
        return back(request, appointment)
    try:
        changed = actions.undo_status(
            appointment, by=request.user, version=form.cleaned_data["version"]
        )
    except actions.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        now = changed.get_status_display()
        messages.success(request, f"Undone: the appointment is “{now}” again.")
    return back(request, appointment)


@staff_required(roles=SCHEDULE_ROLES)
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_appointment_for(request.user, pk, "cancel")
    form = CancelForm(request.POST)
    if not form.is_valid():  # shown on the appointment's page, wherever it was sent from
        context = detail_context(appointment, request.user, cancel_form=form)
        return render(request, "scheduling/appointment.html", context, status=400)
    try:
        actions.cancel(
            appointment, by=request.user, reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )  # fmt: skip
    except actions.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "The appointment is cancelled.")
    return back(request, appointment)
