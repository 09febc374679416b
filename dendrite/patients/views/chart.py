from django.apps import apps
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import CLINICAL_ROLES

from ..access import (
    PATIENT_ROLES,
    get_patient_for,
    may_sign_off,
    merges_into,
    sees_clinical_data,
)
from ..chart import administrative_sections, clinical_sections, instrument_titles
from ..models import Patient


@staff_required(roles=PATIENT_ROLES)
@require_GET
def chart(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk)
    survivor = None
    if patient.merged_into_id is not None:  # a tombstone: the person's chart is the survivor
        survivor = Patient.objects.only("mrn").get(pk=patient.merged_into_id)
        if "kept" not in request.GET:
            messages.info(
                request, f"Chart {patient.mrn} was merged into {survivor.mrn}: this is that chart."
            )
            return redirect("patients:chart", survivor.pk)
    clinical = sees_clinical_data(request.user)
    context = {
        "patient": patient,
        "clinical": clinical,
        "may_sign_off": may_sign_off(request.user),
        "survivor": survivor,
        "merges": [(merge, kept_rows(merge.kept)) for merge in merges_into(patient) if merge.kept],
        **administrative_sections(patient),
        **(clinical_sections(patient) if clinical else {}),
    }
    context["other_sections"] = [
        section for section in context["other_sections"] if clinical or not section.clinical
    ]
    return render(request, "patients/chart.html", context)


@staff_required(roles=CLINICAL_ROLES)
@require_GET
def questionnaires(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "read_clinical")
    page = Paginator(patient.questionnaire_responses.all(), 25).get_page(request.GET.get("page"))
    titles = instrument_titles()
    rows = [(response, titles.get(response.instrument, response.instrument)) for response in page]
    context = {"patient": patient, "page": page, "rows": rows}
    return render(request, "patients/questionnaires.html", context)


def kept_rows(found: dict[str, list[int]]) -> list[tuple[str, int]]:
    """{"app.model.field": [pks]} as ("Notes", 2): what a merge left on the merged chart."""
    rows = []
    for key, pks in found.items():
        label, _field = key.rsplit(".", 1)
        model = apps.get_model(label)
        rows.append((str(model._meta.verbose_name_plural).capitalize(), len(pks)))
    return sorted(rows)
