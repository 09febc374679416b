"""What every chairside screen shares: the page with its forms, and the way a refusal
lands on the form it belongs to."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dendrite.accounts.models import Role
from dendrite.scheduling.models import Appointment

from .. import chairside
from ..access import vials_to_draw_from
from ..actions import Refused, preparer
from ..forms import (
    AcknowledgeForm,
    AdverseEventForm,
    CheckForm,
    DischargeForm,
    HoldForm,
    PrepareForm,
    ReasonForm,
    StopForm,
    TitrateForm,
    VerifyForm,
    VitalsForm,
)  # fmt: skip
from ..models import Infusion, Stage


def attempt(form: forms.BaseForm, action: Callable[[], Any]) -> bool:
    """Run the action on a valid form; a refusal becomes the form's error (on its field
    when it names one). Nothing is saved when it is refused: the action is atomic."""
    if not form.is_valid():
        return False
    try:
        action()
    except Refused as refused:
        form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        return False
    return True


def done(appointment_id: int, anchor: str = "") -> HttpResponse:
    response = redirect("infusions:chairside", appointment_id)
    response["Location"] += f"#{anchor}" if anchor else ""
    return response


def stop_form(infusion: Infusion, data: Any = None) -> StopForm:
    """The stop form, offering the people of the location: by default the dose was drawn
    by whoever prepared it and the double checker witnesses."""
    if hasattr(infusion, "preparer_id"):  # read with the visit (get_chairside_visit_for)
        drawer_id = infusion.preparer_id
    else:
        drawer_id = getattr(preparer(infusion), "pk", None)
    return StopForm(
        data, prefix="stop", location_id=infusion.location_id, drawer_id=drawer_id,
        witness=infusion.verified_by,
    )  # fmt: skip


def _forms(page: chairside.Page, user: Any) -> dict[str, Any]:
    infusion, prescriber = page.infusion, user.role == Role.PRESCRIBER
    found: dict[str, Any] = {}
    if infusion is None:
        if page.order is not None:
            found["check"] = CheckForm(prefix="check", patient=page.appointment.patient)
        return found
    stage = infusion.stage
    if stage == Stage.ON_HOLD and prescriber:
        found["hold"] = HoldForm(prefix="hold")
    if stage in (Stage.CHECKED, Stage.PREPARED, Stage.VERIFIED) and page.show_dose:
        # The checker is not offered the preparation: their part is the check alone.
        vials = vials_to_draw_from(user, infusion.location)
        found["prepare"] = PrepareForm(prefix="prepare", vials=vials)
        if prescriber and infusion.order.titrate_to_mg_per_kg:
            found["titrate"] = TitrateForm(
                prefix="titrate", initial={"mg_per_kg": infusion.mg_per_kg}
            )
    if stage == Stage.PREPARED and not page.show_dose:
        found["verify"] = VerifyForm(prefix="verify")
    if stage == Stage.RUNNING:
        found["pause"] = ReasonForm(prefix="pause")
    if stage == Stage.PAUSED:
        found["resume"] = ReasonForm(prefix="resume")
    if infusion.is_running:
        found["stop"] = stop_form(infusion)
    if infusion.started_at and stage != Stage.READY:
        found["vitals"] = VitalsForm(prefix="vitals")
        found["adverse"] = AdverseEventForm(prefix="adverse")
    if stage == Stage.RECOVERING:
        found["discharge"] = DischargeForm(prefix="discharge")
    if prescriber:
        for alert in page.alerts:
            if alert.acknowledged_at is None:
                alert.form = AcknowledgeForm(prefix=f"ack-{alert.pk}")
    return found


def render_page(
    request: HttpRequest, appointment: Appointment, infusion: Infusion | None, **bound: Any
) -> HttpResponse:
    page = chairside.build(appointment, infusion, request.user)
    page.forms = _forms(page, request.user) | bound
    for name, form in bound.items():  # an acknowledgement's form sits on its alert
        if name.startswith("ack-"):
            for alert in page.alerts:
                if f"ack-{alert.pk}" == name:
                    alert.form = form
    return render(request, "infusions/chairside.html", {"page": page, "Stage": Stage})
