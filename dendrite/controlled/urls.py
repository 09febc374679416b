"""The controlled-substance log, under /staff/controlled/."""

from django.urls import path

from .views import counts, dispose, export, log, loss, receive

app_name = "controlled"

L = "staff/controlled/<int:location_id>/"

urlpatterns = [
    path("staff/controlled/", log.index, name="index"),
    path(L, log.location_log, name="log"),
    path(L + "receive/", receive.receive, name="receive"),
    path(L + "count/", counts.count_new, name="count_new"),
    path(L + "loss/", loss.loss, name="loss"),
    path(L + "dispose/", dispose.dispose, name="dispose"),
    path(L + "export.csv", export.export_csv, name="export"),
    path(L + "export.pdf", export.export_pdf, name="export_pdf"),
    path("staff/controlled/vials/<int:pk>/", log.vial_detail, name="vial"),
    path("staff/controlled/counts/<int:pk>/", counts.count_detail, name="count"),
]
