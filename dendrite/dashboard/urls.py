"""The clinic dashboard, under the dashboard: namespace."""

from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("staff/dashboard/", views.dashboard, name="dashboard"),
    path("staff/dashboard/people/<slug:figure>/", views.behind, name="behind"),
    path("staff/dashboard/<slug:table>.csv", views.table_csv, name="csv"),
]
