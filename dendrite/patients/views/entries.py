"""Contacts, diagnoses, medications and allergies: add, change and remove, one row each.

Contacts are for everyone who works with the patient's demographics; diagnoses,
medications and allergies for nurses and prescribers only.
"""

from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import CLINICAL_ROLES

from .. import actions, icd10
from ..access import PATIENT_ROLES, get_patient_for
from ..forms import AllergyForm, ContactForm, DiagnosisForm, MedicationForm
from ..models import Allergy, Contact, Diagnosis, Medication, Patient
from . import section_url

GET_POST = require_http_methods(["GET", "POST"])


def entry_page(
    request: HttpRequest, patient: Patient, form: ModelForm, title: str, section: str, **extra: Any
) -> HttpResponse:
    context = {"patient": patient, "form": form, "title": title, "section": section, **extra}
    return render(request, "patients/entry_form.html", context)


def saved(request: HttpRequest, entry: Model, section: str, verb: str = "saved") -> HttpResponse:
    messages.success(request, f"The {entry._meta.verbose_name} is {verb}.")
    return redirect(section_url(entry.patient, section))


# Contacts: emergency contact and escort home


@staff_required(roles=PATIENT_ROLES)
@GET_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "edit")
    form = ContactForm(request.POST or None, instance=Contact(patient=patient))
    if form.is_valid():
        entry = actions.save_entry(form.save(commit=False), by=request.user)
        return saved(request, entry, "contacts")
    return entry_page(request, patient, form, "Add a contact", "contacts")


@staff_required(roles=PATIENT_ROLES)
@GET_POST
def contact_edit(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "edit")
    contact = get_object_or_404(patient.contacts, pk=entry_pk)
    form = ContactForm(request.POST or None, instance=contact)
    if form.is_valid():
        changed = form.changed_data
        entry = actions.save_entry(form.save(commit=False), by=request.user, changed=changed)
        return saved(request, entry, "contacts")
    return entry_page(request, patient, form, "Change a contact", "contacts")


@staff_required(roles=PATIENT_ROLES)
@require_POST
def contact_remove(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "edit")
    contact = get_object_or_404(patient.contacts, pk=entry_pk)
    actions.remove_entry(contact, by=request.user)
    return saved(request, contact, "contacts", "removed")


# Diagnoses (ICD-10-CM)


@staff_required(roles=CLINICAL_ROLES)
@GET_POST
def diagnosis_add(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "edit_clinical")
    form = DiagnosisForm(request.POST or None, instance=Diagnosis(patient=patient))
    if form.is_valid():
        entry = actions.save_entry(form.save(commit=False), by=request.user)
        return saved(request, entry, "diagnoses")
    codes = icd10.pick_list()
    return entry_page(request, patient, form, "Add a diagnosis", "diagnoses", codes=codes)


@staff_required(roles=CLINICAL_ROLES)
@GET_POST
def diagnosis_edit(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "edit_clinical")
    diagnosis = get_object_or_404(patient.diagnoses, pk=entry_pk)
    form = DiagnosisForm(request.POST or None, instance=diagnosis)
    if form.is_valid():
        changed = form.changed_data
        entry = actions.save_entry(form.save(commit=False), by=request.user, changed=changed)
        return saved(request, entry, "diagnoses")
    codes = icd10.pick_list()
    return entry_page(request, patient, form, "Change a diagnosis", "diagnoses", codes=codes)


@staff_required(roles=CLINICAL_ROLES)
@require_POST
def diagnosis_remove(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "edit_clinical")
    diagnosis = get_object_or_404(patient.diagnoses, pk=entry_pk)
    actions.remove_entry(diagnosis, by=request.user)
    return saved(request, diagnosis, "diagnoses", "removed")


# Medications


@staff_required(roles=CLINICAL_ROLES)
@GET_POST
def medication_add(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "edit_clinical")
    form = MedicationForm(request.POST or None, instance=Medication(patient=patient))
    if form.is_valid():
        entry = actions.save_entry(form.save(commit=False), by=request.user)
        return saved(request, entry, "medications")
    return entry_page(request, patient, form, "Add a medication", "medications")


@staff_required(roles=CLINICAL_ROLES)
@GET_POST
def medication_edit(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "edit_clinical")
    medication = get_object_or_404(patient.medications, pk=entry_pk)
    form = MedicationForm(request.POST or None, instance=medication)
    if form.is_valid():
        changed = form.changed_data
        entry = actions.save_entry(form.save(commit=False), by=request.user, changed=changed)
        return saved(request, entry, "medications")
    return entry_page(request, patient, form, "Change a medication", "medications")


@staff_required(roles=CLINICAL_ROLES)
@require_POST
def medication_remove(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "edit_clinical")
    medication = get_object_or_404(patient.medications, pk=entry_pk)
    actions.remove_entry(medication, by=request.user)
    return saved(request, medication, "medications", "removed")


# Allergies, and "no known allergies" said out loud


@staff_required(roles=CLINICAL_ROLES)
@GET_POST
def allergy_add(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "edit_clinical")
    form = AllergyForm(request.POST or None, instance=Allergy(patient=patient))
    if form.is_valid():
        entry = actions.save_allergy(form.save(commit=False), by=request.user)
        return saved(request, entry, "allergies")
    return entry_page(request, patient, form, "Add an allergy", "allergies")


@staff_required(roles=CLINICAL_ROLES)
@GET_POST
def allergy_edit(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "edit_clinical")
    allergy = get_object_or_404(patient.allergies, pk=entry_pk)
    form = AllergyForm(request.POST or None, instance=allergy)
    if form.is_valid():
        changed = form.changed_data
        entry = actions.save_allergy(form.save(commit=False), by=request.user, changed=changed)
        return saved(request, entry, "allergies")
    return entry_page(request, patient, form, "Change an allergy", "allergies")


@staff_required(roles=CLINICAL_ROLES)
@require_POST
def allergy_remove(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "edit_clinical")
    allergy = get_object_or_404(patient.allergies, pk=entry_pk)
    actions.remove_entry(allergy, by=request.user)
    return saved(request, allergy, "allergies", "removed")


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
