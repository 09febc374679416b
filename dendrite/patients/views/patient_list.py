from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dendrite.accounts.decorators import staff_required

from .. import actions, search
from ..access import PATIENT_ROLES, audit_list, patients_for
from ..forms import PatientForm

PER_PAGE = 25


@staff_required(roles=PATIENT_ROLES)
@require_GET
def patient_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    query = search.parse(q)
    page = Paginator(patients_for(request.user).search(query), PER_PAGE).get_page(
        request.GET.get("page")
    )
    audit_list(request.user, list(page), query.kind)
    return render(request, "patients/patient_list.html", {"page": page, "q": q, "query": query})


@staff_required(roles=PATIENT_ROLES)
@require_http_methods(["GET", "POST"])
def patient_new(request: HttpRequest) -> HttpResponse:
    form = PatientForm(request.POST or None, user=request.user)
    if form.is_valid():
        patient = actions.register_patient(form.save(commit=False), by=request.user)
        messages.success(request, f"The patient is registered with MRN {patient.mrn}.")
        return redirect("patients:chart", patient.pk)
    return render(request, "patients/patient_form.html", {"form": form})
