"""A patient's access history, for clinic admins: who opened or changed the chart, and when.

Reading it is itself audited (and so appears in it).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.names import full_names
from dendrite.audit.models import AuditEvent

from ..access import (
    ACCESS_HISTORY_ROLES,
    MERGE_ROLES,
    find_by_mrn,
    get_patient_for,
    merged_ids,
    merges_into,
)
from ..models import Patient


@staff_required(roles=ACCESS_HISTORY_ROLES)
@require_GET
def access_history(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "read_access_history")
    # The audit trail is never rewritten: a merged chart's entries keep its id, and are
    # this person's too (PatientMerge).
    ids = merged_ids(patient)
    events = AuditEvent.objects.filter(patient_id__in=[str(pk) for pk in ids]).order_by("-id")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    names = full_names(event.actor_id for event in page)
    for event in page:
        event.actor_name = names.get(event.actor_id, "")  # type: ignore[attr-defined]
    merged = dict(
        Patient.objects.filter(pk__in=ids[1:]).values_list("pk", "mrn")
    )  # fmt: skip
    for event in page:
        event.merged_mrn = merged.get(int(event.patient_id), "")  # type: ignore[attr-defined]
    context = {
        "patient": patient, "page": page, "merges": merges_into(patient),
        "may_merge": request.user.role in MERGE_ROLES,
        "survivor": Patient.objects.filter(pk=patient.merged_into_id).first(),
    }  # fmt: skip
    return render(request, "patients/access_history.html", context)


@staff_required(roles=ACCESS_HISTORY_ROLES)
@require_http_methods(["GET", "POST"])
def access_lookup(request: HttpRequest) -> HttpResponse:
    """Find a patient by MRN. A POST, so the MRN never appears in an address or a log."""
    mrn = request.POST.get("mrn", "").strip().upper()[:24]
    if request.method == "POST":
        patient = find_by_mrn(request.user, mrn)
        if patient is not None:
            return redirect("patients:access_history", patient.pk)
        messages.error(request, "No patient at your locations has that MRN. Please check it.")
    return render(request, "patients/access_lookup.html", {"mrn": mrn})
