"""A prescriber's override of the self-screening's triage, with the reason: what lets
infusions be booked although the screening said "not suitable for ketamine now"."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dendrite.accounts.decorators import staff_required

from .. import actions
from ..access import SIGN_OFF_ROLES, get_patient_for
from ..forms import TriageOverrideForm
from ..models import TriageOverride
from . import section_url


@staff_required(roles=SIGN_OFF_ROLES)
@require_http_methods(["GET", "POST"])
def triage_override(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "override_triage")
    form = TriageOverrideForm(request.POST or None, instance=TriageOverride(patient=patient))
    if form.is_valid():
        actions.override_triage(patient, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, "Your override is recorded.")
        return redirect(section_url(patient, "triage"))
    context = {"patient": patient, "form": form}
    status = 400 if form.errors else 200
    return render(request, "patients/triage_override.html", context, status=status)
