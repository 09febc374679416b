"""The clinic admin's exit export page (fhir/exit_views.py)."""

from django.urls import path

from . import exit_views

app_name = "exit"

urlpatterns = [
    path("staff/leaving/", exit_views.index, name="index"),
    path("staff/leaving/<uuid:public_id>/archive.zip", exit_views.download, name="download"),
]
