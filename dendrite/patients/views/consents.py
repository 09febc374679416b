from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dendrite.accounts.decorators import staff_required

from .. import actions
from ..access import PATIENT_ROLES, get_patient_for
from ..forms import ConsentForm
from ..models import Consent
from . import section_url


@staff_required(roles=PATIENT_ROLES)
@require_http_methods(["GET", "POST"])
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "edit")
    form = ConsentForm(
        request.POST or None,
        instance=Consent(patient=patient),
        initial={"date": timezone.localdate()},
    )
    if form.is_valid():
        consent = actions.save_entry(form.save(commit=False), by=request.user)
        messages.success(
            request, f"The consent is recorded as {consent.get_status_display().lower()}."
        )
        return redirect(section_url(patient, "consents"))
    context = {"patient": patient, "form": form, "title": "Record a consent", "section": "consents"}
    return render(request, "patients/entry_form.html", context)
