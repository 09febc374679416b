"""Merging two charts of the same person, for clinic admins, and undoing it for a time.

The admin sees the two charts' demographics side by side (nothing clinical), chooses
which values the surviving chart keeps, and confirms with their own code (step-up).
The merge itself is patients.actions.merge_patients; what it moved is on its page.
"""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.forms import StepUpForm
from dendrite.accounts.step_up import StepUp
from dendrite.clinics.phones import for_display
from dendrite.dates import born

from .. import actions, matching
from ..access import (
    MERGE_ROLES,
    duplicate_candidates,
    find_by_mrn,
    get_merge_for,
    get_patient_for,
    merges_into,
)
from ..forms import MergeChoiceForm
from ..models import Patient, PatientMerge, Sex
from .chart import kept_rows

GONE = "That chart was already merged into another, so it cannot be merged again."


def _person(patient: Patient) -> matching.Person:
    return matching.Person(
        patient.first_name, patient.last_name, patient.date_of_birth, patient.email,
        patient.phone,
    )  # fmt: skip


@staff_required(roles=MERGE_ROLES)
@require_http_methods(["GET", "POST"])
def merge_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Pick the other chart: one of the likely duplicates, or any by its MRN."""
    patient = get_patient_for(request.user, pk, "merge")
    if patient.merged_into_id:
        messages.error(request, GONE)
        return redirect("patients:access_history", patient.pk)
    mrn = request.POST.get("mrn", "").strip().upper()[:24]
    if request.method == "POST":
        other = find_by_mrn(request.user, mrn)
        if other is not None and other.pk != patient.pk:
            return redirect("patients:merge_compare", patient.pk, other.pk)
        messages.error(request, "No other chart at your locations has that MRN. Please check it.")
    candidates = duplicate_candidates(request.user, _person(patient), exclude=[patient.pk])
    context = {
        "patient": patient, "candidates": candidates, "mrn": mrn,
        "merges": merges_into(patient),
    }  # fmt: skip
    return render(request, "patients/merge_start.html", context)


@staff_required(roles=MERGE_ROLES)
@require_http_methods(["GET", "POST"])
def merge_compare(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    """The two charts side by side; the first survives, the second becomes a tombstone."""
    survivor = get_patient_for(request.user, pk, "merge")
    merged = get_patient_for(request.user, other_pk, "merge")
    if survivor.merged_into_id or merged.merged_into_id or survivor.pk == merged.pk:
        messages.error(request, GONE)
        return redirect("patients:access_history", survivor.pk)
    form = MergeChoiceForm(
        request.POST or None, survivor=survivor, merged=merged, step_up=StepUp(request)
    )
    if form.is_valid():
        try:
            merge = actions.merge_patients(survivor, merged, take=form.taken(), by=request.user)
        except actions.Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"The chart {merged.mrn} is merged into {survivor.mrn}.")
            return redirect("patients:merge_detail", merge.pk)
    context = {"survivor": survivor, "merged": merged, "form": form,
               "match": matching.score(_person(survivor), _person(merged))}  # fmt: skip
    return render(
        request, "patients/merge_compare.html", context, status=400 if form.errors else 200
    )


@staff_required(roles=MERGE_ROLES)
@require_http_methods(["GET"])
def merge_detail(request: HttpRequest, merge_pk: int) -> HttpResponse:
    merge = get_merge_for(request.user, merge_pk)
    context = {
        "merge": merge, "moved": kept_rows(merge.moved), "kept": kept_rows(merge.kept),
        "may_undo": actions.may_undo(merge), "undo_until": actions.undo_deadline(merge),
        "changes": changes(merge),
    }  # fmt: skip
    return render(request, "patients/merge_detail.html", context)


def changes(merge: PatientMerge) -> list[tuple[str, Any, Any]]:
    """The survivor's demographics the merge changed: (label, before, after)."""
    found = []
    for name, before in merge.previous.items():
        after = merge.chosen.get(name)
        if before != after:
            label = str(Patient._meta.get_field(name).verbose_name)
            found.append((label[:1].upper() + label[1:], _shown(name, before), _shown(name, after)))
    return found


def _shown(name: str, value: Any) -> str:
    if not value:
        return "(empty)"
    if name == "date_of_birth":
        return born(dt.date.fromisoformat(value))
    if name == "phone":
        return for_display(value)
    if name == "sex":
        return str(Sex(value).label) if value in Sex.values else str(value)
    return str(value)


@staff_required(roles=MERGE_ROLES)
@require_http_methods(["GET", "POST"])
def merge_undo(request: HttpRequest, merge_pk: int) -> HttpResponse:
    merge = get_merge_for(request.user, merge_pk)
    form = StepUpForm(request.POST or None, step_up=StepUp(request))
    if form.is_valid():
        try:
            actions.undo_merge(merge, by=request.user)
        except actions.Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, f"The merge is undone: {merge.merged.mrn} is a chart of its own again."
            )
        return redirect("patients:merge_detail", merge.pk)
    context = {"merge": merge, "form": form, "may_undo": actions.may_undo(merge)}
    return render(request, "patients/merge_undo.html", context, status=400 if form.errors else 200)
