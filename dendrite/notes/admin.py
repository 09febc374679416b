"""The back office lists the note templates' versions, read-only: templates are edited
on the staff page (each save a new version). Notes themselves are patient data and are
opened only through the staff pages' door (access.py), never here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import NoteTemplate


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(NoteTemplate)
class NoteTemplateAdmin(ReadOnly):
    list_display = ["kind", "version", "organization", "is_current", "created_at"]
    list_filter = ["kind", "is_current"]
