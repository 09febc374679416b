"""The log of a location over a date range, as CSV for an inspector."""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dendrite.accounts.decorators import staff_required
from dendrite.audit.log import record

from .. import export, ledger
from ..access import READ_ROLES, get_location_for
from ..forms import ExportForm
from ..models import Count


@staff_required(roles=READ_ROLES)
@require_GET
def export_csv(request: HttpRequest, location_id: int) -> HttpResponse:
    location = get_location_for(request.user, location_id, "export")
    form = ExportForm(request.GET)
    if not form.is_valid():
        context = {
            "location": location, "export_form": form, "stock": ledger.stock(location),
            "page": ledger.ledger_page(request.user, location, 1),
            "counts": Count.objects.filter(location=location).select_related("by")[:5],
        }  # fmt: skip
        return render(request, "controlled/log.html", context, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    record(
        "controlled.log.export", user=request.user, obj=location,
        detail={"start": start.isoformat(), "end": end.isoformat()},
    )  # fmt: skip
    response = StreamingHttpResponse(export.stream(location, start, end), content_type="text/csv")
    name = f"controlled-substance-log-{location.slug}-{start}-to-{end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
