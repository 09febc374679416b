"""The back office: clinic admins edit their organisation's measurement plan and outcome
settings (permissions come with the clinic admin's group, as for the other back-office
models)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from dendrite.clinics.admin import LocationScopedAdmin
from dendrite.clinics.models import Organization

from .models import MeasurementPlan, OutcomeSettings, PlanRule


class PlanRuleInline(admin.TabularInline):
    model = PlanRule
    extra = 1


@admin.register(MeasurementPlan)
class MeasurementPlanAdmin(LocationScopedAdmin):
    list_display = ["organization", "send_hours_before", "check_in_days", "check_in_valid_days"]
    location_path = "organization__locations__id"
    inlines = [PlanRuleInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).distinct()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser


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
