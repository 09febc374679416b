"""The patient's own copy of their record: a readable PDF summary and FHIR R4 JSON."""

import json

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from dendrite.patients.chart import instrument_titles
from dendrite.pdf import pdf_response

from .. import access, auth, export


@require_GET
@auth.patient_required
def record_pdf(request: HttpRequest) -> HttpResponse:
    portal = auth.portal_of(request)
    found = access.record_export(portal, "pdf")
    titles = instrument_titles()
    scores = [score | {"title": titles.get(score["instrument"], score["instrument"])}
              for score in found["scores"]]  # fmt: skip
    context = found | {"scores": scores, "clinic": portal.patient.location, "now": timezone.now()}
    return pdf_response("portal/pdf/record.html", context, "my-record.pdf", download=True)


@require_GET
@auth.patient_required
def record_fhir(request: HttpRequest) -> HttpResponse:
    found = access.record_export(auth.portal_of(request), "fhir")
    bundle = export.bundle(found["patient"], found["visits"], found["scores"],
                           instrument_titles(), timezone.now())  # fmt: skip
    response = HttpResponse(json.dumps(bundle, indent=2), content_type="application/fhir+json")
    response["Content-Disposition"] = 'attachment; filename="my-record.fhir.json"'
    return response
