import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dendrite.accounts.decorators import staff_required
from dendrite.clinics.phones import link_and_display
from dendrite.dates import born
from dendrite.links import row_url

from .. import actions, matching, search
from ..access import (
    PATIENT_ROLES,
    audit_list,
    duplicate_candidates,
    get_patient_for,
    patients_for,
)
from ..forms import DuplicateChoiceForm, PatientForm
from ..models import DuplicateOverride

PER_PAGE = 25


@staff_required(roles=PATIENT_ROLES)
@require_GET
def patient_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    query = search.parse(q)
    found = patients_for(request.user).search(query)
    page = Paginator(found.values(*COLUMNS), PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = rows(list(page.object_list))  # the page's words, worked out once
    audit_list(request.user, page.object_list, query.kind)
    return render(request, "patients/patient_list.html", {"page": page, "q": q, "query": query})


COLUMNS = (
    "pk", "last_name", "first_name", "preferred_name", "mrn", "date_of_birth", "phone",
    "location__name", "open_alert_flag",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PatientRow:
    pk: int
    url: str
    last_name: str
    first_name: str
    preferred_name: str
    mrn: str
    born: str
    phone: str  # as shown
    tel: str  # for the tel: link
    location: str
    urgent: bool  # an open safety alert


def rows(found: list[dict[str, Any]]) -> list[PatientRow]:
    url = row_url("patients:chart")
    return [_row(patient, url) for patient in found]


def _row(patient: dict[str, Any], url: Callable[[Any], str]) -> PatientRow:
    tel, shown = link_and_display(patient["phone"]) if patient["phone"] else ("", "")
    return PatientRow(
        pk=patient["pk"],
        url=url(patient["pk"]),
        last_name=patient["last_name"],
        first_name=patient["first_name"],
        preferred_name=patient["preferred_name"],
        mrn=patient["mrn"],
        born=born(patient["date_of_birth"]),
        phone=shown,
        tel=tel,
        location=patient["location__name"],
        urgent=bool(patient["open_alert_flag"]),
    )


@staff_required(roles=PATIENT_ROLES)
@require_http_methods(["GET", "POST"])
def patient_new(request: HttpRequest) -> HttpResponse:
    """Register a patient. Charts that look like the same person are shown first: staff
    open one of them instead, or register anyway with a reason (once, however often the
    button is pressed: the form's token)."""
    form = PatientForm(request.POST or None, user=request.user)
    choice = DuplicateChoiceForm(request.POST or None)
    if not form.is_valid():
        return render(request, "patients/patient_form.html", {"form": form})
    data = form.cleaned_data
    person = matching.Person(data["first_name"], data["last_name"], data["date_of_birth"],
                             data["email"], data["phone"])  # fmt: skip
    candidates = duplicate_candidates(request.user, person)
    decision = choice.cleaned_data.get("decision") if choice.is_valid() else None
    if decision == "link":
        existing = get_patient_for(request.user, choice.cleaned_data["link_to"])
        return redirect("patients:chart", existing.pk)
    token = choice.cleaned_data.get("token", "") if decision == "new" else ""
    if token and (done := DuplicateOverride.objects.filter(token=token).first()):
        return redirect("patients:chart", done.patient_id)  # a second click
    if candidates and decision != "new":
        choice = DuplicateChoiceForm(
            request.POST if decision is None else None,
            initial={"token": secrets.token_urlsafe(24)},
        )
        if decision is None:
            choice.is_valid()
        context = {
            "form": form, "choice_form": choice, "candidates": candidates,
            "link_label": "Open this chart instead", "new_person": new_person(data),
        }  # fmt: skip
        return render(
            request, "patients/patient_form.html", context, status=400 if decision is None else 200
        )
    patient = form.save(commit=False)
    if not candidates:
        patient = actions.register_patient(patient, by=request.user)
    else:
        ids, reason = [patient.pk for patient, _ in candidates], choice.cleaned_data["reason"]
        try:
            patient = actions.register_patient_anyway(
                patient, candidates=ids, reason=reason, token=token, by=request.user
            )
        except IntegrityError:  # the same token, a moment ago: that chart
            done = DuplicateOverride.objects.filter(token=token).first()
            if done is None:
                raise
            return redirect("patients:chart", done.patient_id)
    messages.success(request, f"The patient is registered with MRN {patient.mrn}.")
    return redirect("patients:chart", patient.pk)


def new_person(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": f"{data['first_name']} {data['last_name']}", "email": data["email"],
        "date_of_birth": data["date_of_birth"], "phone": data["phone"],
        "location": data["location"].name,
    }  # fmt: skip
