"""The ketamine medical history: answered by nurses and prescribers, signed off by a prescriber."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import CLINICAL_ROLES

from .. import actions
from ..access import SIGN_OFF_ROLES, get_patient_for
from ..forms import HistoryForm
from . import section_url


@staff_required(roles=CLINICAL_ROLES)
@require_http_methods(["GET", "POST"])
def history_edit(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "edit_clinical")
    answers = {row.item: row for row in patient.history_answers.all()}
    form = HistoryForm(request.POST or None, answers=answers)
    if form.is_valid():
        change = actions.save_history(patient, form.answers(), by=request.user)
        note = " It now needs a new sign-off by a prescriber." if change.sign_off_cleared else ""
        messages.success(request, "The medical history is saved." + note)
        return redirect(section_url(patient, "history"))
    return render(request, "patients/history_form.html", {"patient": patient, "form": form})


@staff_required(roles=SIGN_OFF_ROLES)
@require_POST
def history_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "sign_off")
    try:
        actions.sign_off_history(patient, by=request.user)
    except actions.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "You have signed off the medical history.")
    return redirect(section_url(patient, "history"))
