"""The back office for the schedule's resources: what each location offers, its series
protocol, and when staff work. Clinic admins see only their own locations (the
appointments themselves are managed on the staff screens, not here)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from dendrite.accounts.models import User
from dendrite.clinics.admin import LOCATION_FILTER, LocationScopedAdmin

from .models import (
    AppointmentType,
    DayRules,
    OnlineBooking,
    SeriesProtocol,
    TimeOff,
    WorkingHours,
)


class StaffScopedAdmin(LocationScopedAdmin):
    """Rows that name a staff member: only staff of the admin's own locations."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "staff" and not request.user.is_superuser:
            staff = User.objects.filter(locations__in=request.user.location_ids).distinct()
            kwargs["queryset"] = staff
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(AppointmentType)
class AppointmentTypeAdmin(LocationScopedAdmin):
    list_display = ["name", "location", "kind", "staff_role", "staff_minutes", "chair_minutes"]
    list_filter = [LOCATION_FILTER, "kind", "is_active"]


@admin.register(SeriesProtocol)
class SeriesProtocolAdmin(LocationScopedAdmin):
    list_display = ["name", "location", "infusions", "min_gap_hours", "span_days", "is_active"]
    list_filter = [LOCATION_FILTER, "is_active"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "appointment_type" and not request.user.is_superuser:
            types = AppointmentType.objects.filter(location__in=request.user.location_ids)
            kwargs["queryset"] = types
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(DayRules)
class DayRulesAdmin(LocationScopedAdmin):
    """When check-in opens and closes around a visit's start, and how long a step may
    be undone, per location."""

    list_display = ["location", "check_in_opens_minutes", "check_in_closes_minutes", "undo_minutes"]


@admin.register(OnlineBooking)
class OnlineBookingAdmin(LocationScopedAdmin):
    """What patients of each location may book for themselves in the patient portal
    (nothing until it is turned on here)."""

    list_display = ["location", "follow_ups", "boosters", "weeks_ahead", "notice_hours"]


@admin.register(WorkingHours)
class WorkingHoursAdmin(StaffScopedAdmin):
    list_display = ["staff", "location", "weekday", "starts", "ends"]
    list_filter = [LOCATION_FILTER, "weekday"]


@admin.register(TimeOff)
class TimeOffAdmin(StaffScopedAdmin):
    list_display = ["staff", "starts_at", "ends_at", "reason"]
    location_path = "staff__locations"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).distinct()
