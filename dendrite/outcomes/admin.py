"""The back office: clinic admins edit their organisation's measurement plan (permissions
come with the clinic admin's group, as for the other back-office models)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from dendrite.clinics.admin import LocationScopedAdmin

from .models import MeasurementPlan, PlanRule


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
