"""A prescriber approves a booster infusion for a patient (or withdraws the approval).
Where the location lets patients book approved boosters online, the patient then books
it in the portal; otherwise the front desk books it as usual."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import Role, User
from dendrite.patients.access import get_patient_for
from dendrite.scheduling.models import Kind, OnlineBooking

from .. import actions
from ..models import BoosterApproval


@staff_required(roles=[Role.PRESCRIBER])
@require_http_methods(["GET", "POST"])
def booster(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    patient = get_patient_for(user, pk, "edit_clinical")
    approvals = BoosterApproval.objects.filter(patient=patient).select_related(
        "approved_by", "appointment"
    )
    open_ = approvals.open().first()
    if request.method == "POST":
        if request.POST.get("do") == "withdraw" and open_ is not None:
            actions.withdraw_booster(open_, by=user)
        elif request.POST.get("do") == "approve":
            actions.approve_booster(patient, by=user)
        return redirect("outcomes:booster", patient.pk)
    context = {
        "patient": patient,
        "open": open_,
        "approvals": list(approvals[:20]),
        "online": OnlineBooking.for_location(patient.location_id).allows(Kind.BOOSTER),
    }
    return render(request, "outcomes/booster.html", context)
