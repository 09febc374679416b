"""A patient's infusion orders: the list, a new order and a new version, each signed."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.step_up import StepUp

from .. import actions
from ..access import (
    CHAIRSIDE_ROLES,
    PRESCRIBER_ROLES,
    get_order_for,
    get_order_patient_for,
    orders_of,
)
from ..forms import OrderForm
from ..models import InfusionOrder
from .common import attempt


@staff_required(roles=CHAIRSIDE_ROLES)
@require_GET
def order_list(request: HttpRequest, patient_pk: int) -> HttpResponse:
    patient = get_order_patient_for(request.user, patient_pk)
    context = {"patient": patient, "orders": orders_of(patient)}
    return render(request, "infusions/order_list.html", context)


def _sign(request: HttpRequest, patient: object, replaces: InfusionOrder | None) -> HttpResponse:
    initial = {}
    if replaces is not None:
        initial = {
            f: getattr(replaces, f)
            for f in ("mg_per_kg", "minutes", "titrate_to_mg_per_kg", "titration", "series")
        }
        initial["appointments"] = list(replaces.appointments.all())
    form = OrderForm(
        request.POST or None, initial=initial, patient=patient, step_up=StepUp(request)
    )
    fields = ("mg_per_kg", "minutes", "titrate_to_mg_per_kg", "titration", "series", "appointments")
    if request.method == "POST" and attempt(form, lambda: actions.sign_order(
        patient, by=request.user, replaces=replaces,
        **{f: form.cleaned_data.get(f) for f in fields},
    )):  # fmt: skip
        return redirect("infusions:orders", patient.pk)
    context = {"patient": patient, "form": form, "replaces": replaces}
    return render(request, "infusions/order_form.html", context)


@staff_required(roles=PRESCRIBER_ROLES)
@require_http_methods(["GET", "POST"])
def order_new(request: HttpRequest, patient_pk: int) -> HttpResponse:
    patient = get_order_patient_for(request.user, patient_pk, "edit_clinical")
    return _sign(request, patient, None)


@staff_required(roles=PRESCRIBER_ROLES)
@require_http_methods(["GET", "POST"])
def order_revise(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_order_for(request.user, pk, "revise")
    return _sign(request, order.patient, order)
