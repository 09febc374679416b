from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only for everyone: the trail can be searched, never edited or deleted. A clinic
    admin reads the entries of their own locations (the site's `audit_scope`, which
    knows staff and patients; this app sits below both)."""

    list_display = [
        "at",
        "actor_username",
        "actor_role",
        "action",
        "object_type",
        "object_id",
        "patient_id",
        "outcome",
        "ip_address",
    ]
    list_filter = ["outcome", "action", "actor_role"]
    search_fields = ["actor_username", "action", "object_id", "patient_id"]
    date_hierarchy = "at"
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(self.admin_site.audit_scope(request.user))  # type: ignore[attr-defined]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
