from django.urls import path

from .views import (
    access_history,
    chart,
    consents,
    demographics,
    documents,
    entries,
    history,
    triage,
)
from .views import patient_list as listing

app_name = "patients"

P = "staff/patients/<int:pk>/"

urlpatterns = [
    path("staff/patients/", listing.patient_list, name="patient_list"),
    path("staff/patients/new/", listing.patient_new, name="patient_new"),
    path("staff/patients/access/", access_history.access_lookup, name="access_lookup"),
    path(P, chart.chart, name="chart"),
    path(P + "edit/", demographics.patient_edit, name="patient_edit"),
    path(P + "providers/<slug:kind>/", demographics.provider_edit, name="provider_edit"),
    path(P + "contacts/new/", entries.contact_add, name="contact_add"),
    path(P + "contacts/<int:entry_pk>/", entries.contact_edit, name="contact_edit"),
    path(P + "contacts/<int:entry_pk>/remove/", entries.contact_remove, name="contact_remove"),
    path(P + "diagnoses/new/", entries.diagnosis_add, name="diagnosis_add"),
    path(P + "diagnoses/<int:entry_pk>/", entries.diagnosis_edit, name="diagnosis_edit"),
    path(P + "diagnoses/<int:entry_pk>/remove/", entries.diagnosis_remove, name="diagnosis_remove"),
    path(P + "medications/new/", entries.medication_add, name="medication_add"),
    path(P + "medications/<int:entry_pk>/", entries.medication_edit, name="medication_edit"),
    path(
        P + "medications/<int:entry_pk>/remove/",
        entries.medication_remove,
        name="medication_remove",
    ),
    path(P + "allergies/new/", entries.allergy_add, name="allergy_add"),
    path(P + "allergies/none/", entries.no_known_allergies, name="no_known_allergies"),
    path(P + "allergies/<int:entry_pk>/", entries.allergy_edit, name="allergy_edit"),
    path(P + "allergies/<int:entry_pk>/remove/", entries.allergy_remove, name="allergy_remove"),
    path(P + "history/", history.history_edit, name="history_edit"),
    path(P + "history/sign-off/", history.history_sign_off, name="history_sign_off"),
    path(P + "triage-override/", triage.triage_override, name="triage_override"),
    path(P + "consents/new/", consents.consent_add, name="consent_add"),
    path(P + "questionnaires/", chart.questionnaires, name="questionnaires"),
    path(P + "documents/new/", documents.document_add, name="document_add"),
    path(P + "documents/<int:document_pk>/", documents.document_download, name="document_download"),
    path(P + "access/", access_history.access_history, name="access_history"),
]
