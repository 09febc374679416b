from django.urls import path

from . import api

app_name = "instruments"

urlpatterns = [
    path("api/v1/instruments/", api.instrument_list, name="list"),
    path("api/v1/instruments/<str:code>/", api.instrument_detail, name="detail"),
    path("api/v1/instruments/<str:code>/score", api.score, name="score"),
]
