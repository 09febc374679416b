"""Uploaded documents: checked by their content, stored under a random name outside the
web root, and handed out only here, to nurses and prescribers, every download audited."""

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import CLINICAL_ROLES

from .. import actions
from ..access import get_document_for, get_patient_for
from ..forms import DocumentForm
from ..models import Document
from . import section_url


@staff_required(roles=CLINICAL_ROLES)
@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient_for(request.user, pk, "edit_clinical")
    form = DocumentForm(
        request.POST or None, request.FILES or None, instance=Document(patient=patient)
    )
    if form.is_valid():
        actions.add_document(form.save(commit=False), by=request.user)
        messages.success(request, "The document is uploaded.")
        return redirect(section_url(patient, "documents"))
    context = {
        "patient": patient,
        "form": form,
        "title": "Upload a document",
        "section": "documents",
    }
    return render(request, "patients/entry_form.html", context | {"multipart": True})


@staff_required(roles=CLINICAL_ROLES)
@require_GET
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    document = get_document_for(request.user, pk, document_pk)
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        # A PDF may carry scripts and forms: saved, never opened inside the workspace.
        as_attachment=document.content_type == "application/pdf",
        filename=document.download_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
