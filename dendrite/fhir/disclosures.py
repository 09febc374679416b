"""The accounting of Part 2 disclosures for staff (42 CFR 2.24, CLINICAL.md §12.8): a
section of the chart (clinical) and a CSV of every disclosure of one patient."""

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from dendrite.accounts.access import fetch_for
from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import CLINICAL_ROLES, Role
from dendrite.instruments.labels import short_title
from dendrite.patients.chart import Section
from dendrite.patients.models import Patient

from .models import Disclosure, DisclosureConsent

SHOWN = 20
CLIENT_UNSHOWN = ("client__jwks",)
ROLES = CLINICAL_ROLES | {Role.CLINIC_ADMIN}


def section(patient: Patient, viewer: Any) -> dict[str, Any]:
    today = timezone.localdate()
    # Of the API client, its name only (not its keys).
    disclosures = Disclosure.objects.filter(patient=patient).select_related("client")
    consents = DisclosureConsent.objects.filter(patient=patient).select_related("client")
    return {
        "patient": patient,
        "disclosures": list(disclosures.defer(*CLIENT_UNSHOWN)[:SHOWN]),
        "part2_consents": [
            (consent, consent_state(consent, today), covered(consent))
            for consent in consents.defer(*CLIENT_UNSHOWN)[:SHOWN]
        ],
        "may_record": getattr(viewer, "role", None) in ROLES,
    }


def covered(consent: DisclosureConsent) -> str:
    """What the consent lets be disclosed, by the instruments' short titles."""
    return ", ".join(short_title(code) for code in sorted(consent.records))


def consent_state(consent: DisclosureConsent, today: date) -> str:
    """In words: revoked, expired, not yet in force, or in force."""
    if consent.revoked_at is not None:
        return "Revoked"
    if consent.ends_on < today:
        return "Expired"
    if consent.starts_on > today:
        return "Not yet in force"
    return "In force"


SECTION = Section(
    anchor="disclosures",
    title="Disclosures (42 CFR Part 2)",
    template="fhir/_disclosures.html",
    context=section,
    clinical=True,
)


def _rows(patient: Patient) -> Iterator[str]:
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow(["Date", "Recipient", "Purpose", "Consent", "Exception", "Records", "Count"])
    rows = Disclosure.objects.filter(patient=patient).select_related("client").order_by("at")
    for row in rows.iterator():
        out.writerow([
            row.at.isoformat(), row.client.name, row.get_purpose_display(),
            f"#{row.consent_id}" if row.consent_id else "", row.exception,
            row.resource_types, row.count,
        ])  # fmt: skip
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


@staff_required(roles=ROLES)
@require_GET
def export_csv(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = fetch_for(
        request.user,  # type: ignore[arg-type]
        Patient.objects.all(),
        patient_id,
        roles=ROLES,
        location_of=lambda p: p.location_id,
        action="disclosures.export",
        patient_of=lambda p: p.pk,
    )
    response = StreamingHttpResponse(_rows(patient), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="disclosures-{patient.mrn}.csv"'
    return response  # type: ignore[return-value]  # streamed, as the controlled-log CSV
