"""My record: who at the clinic opened or changed it, from the audit trail (HIPAA's
accounting of access, in names and roles). The downloads and the contact, language and
consent changes will join this page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from dendrite.accounts.models import Role

from .. import access, auth

ROLES = {
    Role.FRONT_DESK: _("Front desk"),
    Role.NURSE: _("Nurse"),
    Role.PRESCRIBER: _("Prescriber"),
    Role.CLINIC_ADMIN: _("Clinic administrator"),
}
# Reads are "looked at"; anything else changed or added something.
READS = (".read", ".list", ".read_clinical", ".open")


@require_GET
@auth.patient_required
def record(request: HttpRequest) -> HttpResponse:
    page = access.record_openings(auth.portal_of(request), request.GET.get("page"))
    rows = [
        (event.at, event.actor_name, ROLES.get(event.actor_role, ""),  # type: ignore[attr-defined]
         event.action.endswith(READS))
        for event in page
    ]  # fmt: skip
    return render(request, "portal/record.html", {"page": page, "rows": rows})
