from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dendrite.accounts.decorators import staff_required

from .. import actions
from ..access import PATIENT_ROLES, get_patient_for
from ..forms import PatientForm, ProviderForm
from ..models import Provider
from . import section_url


@staff_required(roles=PATIENT_ROLES)
@require_http_methods(["GET", "POST"])
def patient_edit(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "edit")
    form = PatientForm(request.POST or None, instance=patient, user=request.user)
    if form.is_valid():
        try:
            actions.change_patient(
                form.save(commit=False), by=request.user,
                changed=[name for name in form.changed_data if name != "version"],
                version=form.cleaned_data["version"],
            )  # fmt: skip
        except actions.Refused as refusal:
            form.add_error(None, str(refusal))
            context = {"form": form, "patient": patient}
            return render(request, "patients/patient_form.html", context, status=409)
        messages.success(request, "The demographics are saved.")
        return redirect(section_url(patient, "demographics"))
    return render(request, "patients/patient_form.html", {"form": form, "patient": patient})


@staff_required(roles=PATIENT_ROLES)
@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "edit")
    if kind not in Provider.Kind.values:
        raise Http404
    provider = patient.providers.filter(kind=kind).first() or Provider(patient=patient, kind=kind)
    form = ProviderForm(request.POST or None, instance=provider)
    if form.is_valid():
        actions.save_entry(form.save(commit=False), by=request.user, changed=form.changed_data)
        messages.success(request, f"The {provider.get_kind_display().lower()} is saved.")
        return redirect(section_url(patient, "providers"))
    context = {"patient": patient, "form": form, "title": provider.get_kind_display()}
    return render(request, "patients/entry_form.html", context | {"section": "providers"})
