"""Contacts, diagnoses, medications and allergies: add, change and remove, one row each.

One table says what differs between the four kinds of entry; the three views below
serve all of them (patients/urls.py passes the kind). Contacts are for everyone who
works with the patient's demographics; diagnoses, medications and allergies for nurses
and prescribers only.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dendrite.accounts.decorators import check_role, staff_required
from dendrite.accounts.models import CLINICAL_ROLES

from .. import actions, icd10
from ..access import PATIENT_ROLES, get_patient_for
from ..forms import AllergyForm, ContactForm, DiagnosisForm, MedicationForm
from ..models import Allergy, Contact, Diagnosis, Medication, Patient
from . import section_url

GET_POST = require_http_methods(["GET", "POST"])


@dataclass(frozen=True)
class Entry:
    name: str  # "contact": URL names contact_add, contact_edit, contact_remove
    section: str  # the chart's section, and the patient's related rows
    model: type[Model]
    form: type[ModelForm]
    clinical: bool  # nurses and prescribers only
    words: str  # "a contact", in "Add a contact"
    save: Callable[..., Model] = actions.save_entry
    extra: Callable[[], dict[str, Any]] = field(default=dict)  # more for the form page

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(CLINICAL_ROLES if self.clinical else PATIENT_ROLES)

    @property
    def access(self) -> str:
        return "edit_clinical" if self.clinical else "edit"


ENTRIES = {
    "contacts": Entry("contact", "contacts", Contact, ContactForm, False, "a contact"),
    "diagnoses": Entry(
        "diagnosis", "diagnoses", Diagnosis, DiagnosisForm, True, "a diagnosis",
        extra=lambda: {"codes": icd10.pick_list()},  # ICD-10-CM
    ),
    "medications": Entry("medication", "medications", Medication, MedicationForm, True,
                         "a medication"),
    "allergies": Entry("allergy", "allergies", Allergy, AllergyForm, True, "an allergy",
                       save=actions.save_allergy),
}  # fmt: skip


def for_entry(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Look the kind up and check the role it needs (before the method, as staff_required)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, kind: str, **kwargs: Any) -> HttpResponse:
        entry = ENTRIES[kind]
        check_role(request.user, entry.roles, where=f"{__name__}.{entry.name}_{view.__name__}")
        return view(request, *args, entry=entry, **kwargs)

    return wrapped


def entry_page(
    request: HttpRequest, patient: Patient, form: ModelForm, title: str, section: str, **extra: Any
) -> HttpResponse:
    context = {"patient": patient, "form": form, "title": title, "section": section, **extra}
    return render(request, "patients/entry_form.html", context)


def saved(request: HttpRequest, entry: Model, section: str, verb: str = "saved") -> HttpResponse:
    messages.success(request, f"The {entry._meta.verbose_name} is {verb}.")
    return redirect(section_url(entry.patient, section))


@staff_required()
@for_entry
@GET_POST
def add(request: HttpRequest, pk: int, entry: Entry) -> HttpResponse:
    patient = get_patient_for(request.user, pk, entry.access)
    form = entry.form(request.POST or None, instance=entry.model(patient=patient))
    if form.is_valid():
        row = entry.save(form.save(commit=False), by=request.user)
        return saved(request, row, entry.section)
    title = f"Add {entry.words}"
    return entry_page(request, patient, form, title, entry.section, **entry.extra())


@staff_required()
@for_entry
@GET_POST
def edit(request: HttpRequest, pk: int, entry_pk: int, entry: Entry) -> HttpResponse:
    patient = get_patient_for(request.user, pk, entry.access)
    row = get_object_or_404(getattr(patient, entry.section), pk=entry_pk)
    form = entry.form(request.POST or None, instance=row)
    if form.is_valid():
        changed = form.changed_data
        row = entry.save(form.save(commit=False), by=request.user, changed=changed)
        return saved(request, row, entry.section)
    title = f"Change {entry.words}"
    return entry_page(request, patient, form, title, entry.section, **entry.extra())


@staff_required()
@for_entry
@require_POST
def remove(request: HttpRequest, pk: int, entry_pk: int, entry: Entry) -> HttpResponse:
    patient = get_patient_for(request.user, pk, entry.access)
    row = get_object_or_404(getattr(patient, entry.section), pk=entry_pk)
    actions.remove_entry(row, by=request.user)
    return saved(request, row, entry.section, "removed")


# "No known allergies", said out loud


@staff_required(roles=CLINICAL_ROLES)
@require_POST
def no_known_allergies(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "edit_clinical")
    try:
        actions.record_no_known_allergies(patient, by=request.user)
    except actions.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "“No known allergies” is recorded.")
    return redirect(section_url(patient, "allergies"))
