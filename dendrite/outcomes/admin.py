"""The back office for outcome settings: clinic admins see their own organisation's."""

from django.contrib import admin

from dendrite.clinics.admin import LocationScopedAdmin

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
