from django.urls import URLPattern, path

from .views import (
    access_history,
    chart,
    consents,
    demographics,
    documents,
    entries,
    history,
    merge,
    triage,
)
from .views import patient_list as listing

app_name = "patients"

P = "staff/patients/<int:pk>/"


def entry_routes(section: str, name: str) -> list[URLPattern]:
    """<name>_add, <name>_edit and <name>_remove for one kind of chart entry."""
    kind = {"kind": section}
    return [
        path(P + f"{section}/new/", entries.add, kind, name=f"{name}_add"),
        path(P + f"{section}/<int:entry_pk>/", entries.edit, kind, name=f"{name}_edit"),
        path(P + f"{section}/<int:entry_pk>/remove/", entries.remove, kind, name=f"{name}_remove"),
    ]


urlpatterns = [
    path("staff/patients/", listing.patient_list, name="patient_list"),
    path("staff/patients/new/", listing.patient_new, name="patient_new"),
    path("staff/patients/access/", access_history.access_lookup, name="access_lookup"),
    path(P, chart.chart, name="chart"),
    path(P + "edit/", demographics.patient_edit, name="patient_edit"),
    path(P + "providers/<slug:kind>/", demographics.provider_edit, name="provider_edit"),
    # Chart entries: one set of views, told the kind (views/entries.py, ENTRIES).
    *entry_routes("contacts", "contact"),
    *entry_routes("diagnoses", "diagnosis"),
    *entry_routes("medications", "medication"),
    *entry_routes("allergies", "allergy"),
    path(P + "allergies/none/", entries.no_known_allergies, name="no_known_allergies"),
    path(P + "history/", history.history_edit, name="history_edit"),
    path(P + "history/sign-off/", history.history_sign_off, name="history_sign_off"),
    path(P + "triage-override/", triage.triage_override, name="triage_override"),
    path(P + "consents/new/", consents.consent_add, name="consent_add"),
    path(P + "questionnaires/", chart.questionnaires, name="questionnaires"),
    path(P + "documents/new/", documents.document_add, name="document_add"),
    path(P + "documents/<int:document_pk>/", documents.document_download, name="document_download"),
    path(P + "access/", access_history.access_history, name="access_history"),
    path(P + "merge/", merge.merge_start, name="merge_start"),
    path(P + "merge/<int:other_pk>/", merge.merge_compare, name="merge_compare"),
    path("staff/patients/merges/<int:merge_pk>/", merge.merge_detail, name="merge_detail"),
    path("staff/patients/merges/<int:merge_pk>/undo/", merge.merge_undo, name="merge_undo"),
]
