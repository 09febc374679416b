"""My record: who at the clinic opened or changed it, from the audit trail (HIPAA's
accounting of access, in names and roles), and who the clinic shared the patient's
substance-use records with (the accounting of disclosures, 42 CFR 2.24), in plain words.
The downloads and the contact, language and consent changes will join this page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from dendrite.accounts.models import Role
from dendrite.fhir.models import Disclosure, Purpose

from .. import access, auth

ROLES = {
    Role.FRONT_DESK: _("Front desk"),
    Role.NURSE: _("Nurse"),
    Role.PRESCRIBER: _("Prescriber"),
    Role.CLINIC_ADMIN: _("Clinic administrator"),
}
# Reads are "looked at"; anything else changed or added something.
READS = (".read", ".list", ".read_clinical", ".open")
# Why the records were shared, in the patient's words.
PURPOSES = {
    Purpose.TREATMENT: _("Your care"),
    Purpose.PAYMENT: _("Payment for your care"),
    Purpose.OPERATIONS: _("Running the clinic's services"),
    Purpose.RESEARCH: _("Research"),
    Purpose.OTHER: _("Another purpose"),
}


def shared(disclosure: Disclosure) -> dict[str, object]:
    """One disclosure in plain words: when, with whom, why, and on what grounds (the
    patient's written consent, or the medical-emergency exception, 42 CFR 2.51; the
    emergency's stated reason is staff's words and stays in the staff accounting)."""
    consent = disclosure.consent
    return {
        "at": disclosure.at,
        "recipient": disclosure.client.name,
        "purpose": PURPOSES.get(disclosure.purpose, PURPOSES[Purpose.OTHER]),
        "consent": consent,
        "emergency": consent is None and disclosure.exception.lower().startswith("medical"),
    }


@require_GET
@auth.patient_required
def record(request: HttpRequest) -> HttpResponse:
    page = access.record_openings(auth.portal_of(request), request.GET.get("page"))
    rows = [
        (event.at, event.actor_name, ROLES.get(event.actor_role, ""),  # type: ignore[attr-defined]
         event.action.endswith(READS))
        for event in page
    ]  # fmt: skip
    disclosures = [shared(d) for d in access.my_disclosures(auth.portal_of(request))]
    context = {"page": page, "rows": rows, "disclosures": disclosures}
    return render(request, "portal/record.html", context)
