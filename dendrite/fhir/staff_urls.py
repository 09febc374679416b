"""Staff pages of the FHIR app (outside the /fhir/ API): the accounting of disclosures,
recording and revoking Part 2 consents."""

from django.urls import path

from . import consent_pages, disclosures

app_name = "disclosures"

urlpatterns = [
    path("patients/<int:patient_id>/disclosures.csv", disclosures.export_csv, name="csv"),
    path(
        "patients/<int:patient_id>/part2-consents/new/",
        consent_pages.consent_new,
        name="consent_new",
    ),
    path(
        "patients/<int:patient_id>/part2-consents/<int:pk>/revoke/",
        consent_pages.consent_revoke,
        name="consent_revoke",
    ),
]
