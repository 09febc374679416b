"""The log of a location over a date range for an inspector: a CSV (streamed, any range)
or a PDF (at most two years)."""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import User
from dendrite.audit.log import record
from dendrite.clinics.models import Location
from dendrite.pdf import pdf_response

from .. import export, inspection
from ..access import READ_ROLES, get_location_for
from ..forms import ExportForm
from .log import log_context


def refused(request: HttpRequest, location: Location, form: ExportForm) -> HttpResponse:
    context = log_context(request.user, location, 1, form)
    return render(request, "controlled/log.html", context, status=400)


def audit(user: User, location: Location, form: ExportForm, kind: str) -> None:
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    record(
        "controlled.log.export", user=user, obj=location,
        detail={"start": start.isoformat(), "end": end.isoformat(), "format": kind},
    )  # fmt: skip


@staff_required(roles=READ_ROLES)
@require_GET
def export_csv(request: HttpRequest, location_id: int) -> HttpResponse:
    location = get_location_for(request.user, location_id, "export")
    form = ExportForm(request.GET)
    if not form.is_valid():
        return refused(request, location, form)
    audit(request.user, location, form, "csv")
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    response = StreamingHttpResponse(export.stream(location, start, end), content_type="text/csv")
    name = f"controlled-substance-log-{location.slug}-{start}-to-{end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required(roles=READ_ROLES)
@require_GET
def export_pdf(request: HttpRequest, location_id: int) -> HttpResponse:
    location = get_location_for(request.user, location_id, "export")
    form = ExportForm(request.GET)
    if form.is_valid() and (form.cleaned_data["end"] - form.cleaned_data["start"]).days >= (
        inspection.MAX_DAYS
    ):
        form.add_error("end", inspection.TOO_LONG)
    if not form.is_valid():
        return refused(request, location, form)
    audit(request.user, location, form, "pdf")
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    context = inspection.report(location, start, end) | {
        "prepared_at": timezone.now(), "prepared_by": request.user.get_full_name(),
    }  # fmt: skip
    name = f"controlled-substance-log-{location.slug}-{start}-to-{end}.pdf"
    return pdf_response("controlled/log_pdf.html", context, name, download=True)
