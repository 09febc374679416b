"""Staff invite a patient to the portal from the chart (the chart's portal section)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from dendrite.accounts.decorators import staff_required
from dendrite.patients.access import PATIENT_ROLES

from .. import access, actions

NO_CHANNEL = (
    "No invitation was sent: the patient has not agreed to e-mail or text messages, or we "
    "have no address for them. Record their consent and contact details, then invite them."
)


@staff_required(roles=PATIENT_ROLES)
@require_POST
def invite(request: HttpRequest, patient_pk: int) -> HttpResponse:
    patient = access.get_patient_to_invite(request.user, patient_pk)
    try:
        actions.invite(patient, by=request.user)
    except actions.NoChannel:
        messages.warning(request, NO_CHANNEL)
    else:
        messages.success(request, "The invitation to the patient portal is on its way.")
    return redirect(reverse("patients:chart", args=[patient.pk]) + "#portal")
