"""The FHIR API, under /fhir/ (fhir: namespace)."""

from django.urls import path, re_path

from . import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path(".well-known/smart-configuration", views.smart_configuration, name="smart"),
    path("auth/token", views.token, name="token"),
    path("$export", views.export, name="export"),
    path("Patient/$export", views.export, name="export_patients"),
    path("Group/<str:group>/$export", views.export, name="export_group"),
    path("$export-status/<uuid:public_id>", views.export_status, name="export_status"),
    path("$export-file/<uuid:public_id>/<str:name>", views.export_file, name="export_file"),
    re_path(r"^(?P<resource_type>[A-Za-z]+)/?$", views.search_type, name="search"),
    re_path(r"^(?P<resource_type>[A-Za-z]+)/(?P<resource_id>[^/]+)/?$", views.read, name="read"),
    re_path(r"^(?P<rest>.*)$", views.unknown, name="unknown"),
]
