from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .labels import action_label, record_label
from .models import AuditEvent


class ActionFilter(admin.SimpleListFilter):
    """Filter by what was done, in words ("Appointment: status changed"), not by code."""

    title = "what was done"
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = model_admin.get_queryset(request).order_by().values_list("action", flat=True)
        return sorted(((code, action_label(code)) for code in set(codes)), key=lambda c: c[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEvent]) -> Any:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only for everyone: the trail can be searched, never edited or deleted. A clinic
    admin reads the entries of their own locations (the site's `audit_scope`, which
    knows staff and patients; this app sits below both)."""

    list_display = [
        "at",
        "actor_username",
        "role",
        "what",
        "record",
        "object_id",
        "patient_id",
        "outcome",
        "ip_address",
    ]
    list_filter = ["outcome", ActionFilter]
    search_fields = ["actor_username", "action", "object_id", "patient_id"]
    date_hierarchy = "at"
    show_full_result_count = False

    @admin.display(description="What", ordering="action")
    def what(self, event: AuditEvent) -> str:
        return action_label(event.action)

    @admin.display(description="Record", ordering="object_type")
    def record(self, event: AuditEvent) -> str:
        return record_label(event.object_type)

    @admin.display(description="Role", ordering="actor_role")
    def role(self, event: AuditEvent) -> str:
        # The role as stored ("front_desk"), in words; accounts sits above this app.
        return event.actor_role.replace("_", " ").capitalize()

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
