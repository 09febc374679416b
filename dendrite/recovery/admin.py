"""The back office: the clinic's lapse and relapse definition and who reaches out.
Clinic admins see only their own organisation's settings. The drinking record and the
plans are not here: they are edited on the staff screens, audited."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from dendrite.clinics.admin import LocationScopedAdmin
from dendrite.clinics.models import Organization

from .models import RecoverySettings


@admin.register(RecoverySettings)
class RecoverySettingsAdmin(LocationScopedAdmin):
    list_display = ["organization", "abstinent_days", "heavy_days", "window_days", "task_role"]
    location_path = "organization__locations__id"
    fieldsets = [
        (None, {"fields": ["organization"]}),
        (
            "Lapse and relapse",
            {
                "description": "Definitions of lapse and relapse vary between studies and "
                "clinics; your medical director sets them here. A lapse is a drinking day "
                "after this many days without drinking. A relapse is this many heavy drinking "
                "days (5 or more drinks for men, 4 or more for women) within the window; it "
                "ends after as many days without drinking as a lapse needs.",
                "fields": ["abstinent_days", "heavy_days", "window_days"],
            },
        ),
        ("Reaching out", {"fields": ["task_role", "task_due_days"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).distinct()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "organization" and not request.user.is_superuser:
            kwargs["queryset"] = Organization.objects.filter(
                locations__in=request.user.location_ids
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
