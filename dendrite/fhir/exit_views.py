"""The clinic admin's page for leaving Dendrite: start an exit export of the
organisation and download the archive when it is ready (fhir/exit.py)."""

import uuid

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import Role, User
from dendrite.audit.log import record
from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Organization

from . import exit as exit_archive
from .models import ExitExport

SHOWN = 10


def organization_of(user: User) -> Organization | None:
    """The organisation the admin may export: the one all their places belong to, and
    only if they are an admin of every one of its locations — the archive holds every
    location's patients, so an admin of one location of several may not take it."""
    found = list(Organization.objects.filter(locations__in=user.location_ids).distinct()[:2])
    if len(found) != 1:
        return None
    everywhere = set(found[0].locations.values_list("pk", flat=True))
    return found[0] if everywhere <= set(user.location_ids) else None


@staff_required(roles=[Role.CLINIC_ADMIN])
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    organization = organization_of(user)
    if organization is not None and request.method == "POST":
        exit_archive.start(organization, by=user)
        return redirect("exit:index")
    exports = (
        list(
            ExitExport.objects.filter(organization=organization).select_related("requested_by")[
                :SHOWN
            ]
        )
        if organization
        else []
    )
    return render(
        request,
        "fhir/exit.html",
        {
            "organization": organization,
            "exports": exports,
            "waiting": any(e.status in ("queued", "running") for e in exports),
            "hours": settings.FHIR_EXPORT_HOURS,
        },
    )


@staff_required(roles=[Role.CLINIC_ADMIN])
@require_GET
def download(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    organization = organization_of(user)
    export = ExitExport.objects.filter(public_id=public_id).first()
    if export is None or organization is None or export.organization_id != organization.pk:
        record(
            "exit.export.download",
            user=user,
            object_type="fhir.exitexport",
            object_id=str(export.pk) if export else "",
            outcome=AuditEvent.Outcome.DENIED,
        )
        raise Http404("No such export.")
    path = exit_archive.archive_path(export)
    if export.status != ExitExport.Status.DONE or not path.exists():
        raise Http404("The export is not ready or has been removed.")
    record("exit.export.download", user=user, obj=export)
    when = export.finished_at.date() if export.finished_at else export.requested_at.date()
    return FileResponse(  # type: ignore[return-value]  # streamed, a StreamingHttpResponse
        path.open("rb"), as_attachment=True, filename=f"{organization.slug}-exit-{when}.zip"
    )
