"""Every address of the notes app, under /staff/notes/ and the notes: namespace."""

from django.urls import path

from .views import note, templates

app_name = "notes"

N = "staff/notes/<int:pk>/"

urlpatterns = [
    path("staff/notes/patients/<int:patient_pk>/<str:kind>/new/", note.note_new, name="new"),
    path(N, note.note_page, name="note"),
    path(N + "co-sign/", note.cosign, name="cosign"),
    path(N + "addenda/", note.addendum, name="addendum"),
    path("staff/notes/templates/", templates.template_list, name="templates"),
    path("staff/notes/templates/<str:kind>/", templates.template_edit, name="template_edit"),
]
