"""Staff pages of the FHIR app (outside the /fhir/ API): the accounting of disclosures."""

from django.urls import path

from . import disclosures

app_name = "disclosures"

urlpatterns = [
    path("patients/<int:patient_id>/disclosures.csv", disclosures.export_csv, name="csv"),
]
