"""The back office for outcome settings: clinic admins see their own organisation's."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dendrite.clinics.admin import LocationScopedAdmin
from dendrite.clinics.models import Organization

from .models import OutcomeSettings


@admin.register(OutcomeSettings)
class OutcomeSettingsAdmin(LocationScopedAdmin):
    list_display = ["organization", "response_percent", "remission_below", "booster_due_days"]
    location_path = "organization__locations__id"
    fieldsets = [
        (None, {"fields": ["organization"]}),
        (
            "Response and remission",
            {"fields": ["response_percent", "remission_below", "mcid_points"]},
        ),
        (
            "Booster review",
            {
                "fields": [
                    "booster_rise_points",
                    "booster_back_to",
                    "booster_in_a_row",
                    "booster_due_days",
                ]
            },
        ),
    ]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "organization" and not request.user.is_superuser:
            mine = Organization.objects.filter(locations__in=request.user.location_ids)
            kwargs["queryset"] = mine.distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
