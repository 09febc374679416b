"""The back office's view of the infusion record: read-only for everyone (a clinical
record is written at the chair, by the actions, and never changed or deleted here), and
a clinic admin sees only their own locations' rows (clinics.admin.LocationScopedAdmin).
Opening one record is audited as a read of the patient's data, as the staff screens are.
Patients are shown by their medical record number (Patient.__str__), never by name."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from dendrite.audit.log import record
from dendrite.clinics.admin import LOCATION_FILTER, LocationScopedAdmin

from .models import (
    AdverseEvent,
    ChairsideAlert,
    ChairsideMessage,
    DoseCheck,
    Infusion,
    InfusionEvent,
    InfusionOrder,
    Observation,
    VitalSigns,
)


class ReadOnly:
    """No add, change or delete, for clinic admins and superusers alike."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(ReadOnly, admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    show_change_link = False


class ClinicalRecordAdmin(ReadOnly, LocationScopedAdmin):
    """A read-only record of one location; opening it writes an audit entry."""

    patient_path = "patient_id"
    actions = None

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [field for fieldset in self.fieldsets or [] for field in fieldset[1]["fields"]]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is not None:
            patient = obj
            for step in self.patient_path.split("__")[:-1]:
                patient = getattr(patient, step)
            record(
                f"infusions.{obj._meta.model_name}.admin_read", user=request.user, obj=obj,
                patient_id=getattr(patient, self.patient_path.split("__")[-1]),
            )  # fmt: skip
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(InfusionOrder)
class InfusionOrderAdmin(ClinicalRecordAdmin):
    list_display = ["__str__", "patient", "location", "dose", "minutes", "status", "signed_at"]
    list_filter = [LOCATION_FILTER, "status"]
    list_select_related = ["patient", "location"]
    fieldsets = [
        (None, {"fields": ["patient", "location", "version", "status", "series"]}),
        ("Dose", {"fields": ["mg_per_kg", "titrate_to_mg_per_kg", "minutes", "titration"]}),
        ("Signature", {"fields": ["signed_by", "signed_at", "replaces"]}),
    ]

    @admin.display(description="Dose (mg/kg)")
    def dose(self, order: InfusionOrder) -> str:
        return str(order.mg_per_kg)


class DoseCheckInline(ReadOnlyInline):
    model = DoseCheck
    verbose_name, verbose_name_plural = "dose calculation", "dose calculations"
    fields = ["kind", "by", "at", "weight_kg", "concentration_mg_per_ml", "dose_mg", "drawn_ml",
              "rate_ml_per_h", "agreed"]  # fmt: skip


class EventInline(ReadOnlyInline):
    model = InfusionEvent
    verbose_name, verbose_name_plural = "pump event", "pump events"
    fields = ["kind", "at", "by", "reason"]


class AdverseEventInline(ReadOnlyInline):
    model = AdverseEvent
    fields = ["kind", "other", "severity", "action", "medicine_given", "outcome",
              "recorded_by", "recorded_at"]  # fmt: skip


@admin.register(Infusion)
class InfusionAdmin(ClinicalRecordAdmin):
    list_display = [
        "__str__",
        "patient",
        "location",
        "visit_day",
        "stage",
        "given",
        "discharged_at",
    ]
    list_filter = [LOCATION_FILTER, "stage"]
    list_select_related = ["patient", "location", "appointment"]
    date_hierarchy = "checked_at"
    inlines = [DoseCheckInline, EventInline, AdverseEventInline]
    fieldsets = [
        (None, {"fields": ["patient", "location", "appointment", "order", "stage"]}),
        ("Check at the chair", {"fields": [
            "checked_by", "checked_at", "identifiers", "fasting_hours", "escort_name",
            "escort_phone", "weight_kg", "weight_entered", "pregnancy",
            "questionnaires_reviewed", "hold_reason", "hold_decision", "hold_decided_by",
            "hold_decided_at", "hold_note",
        ]}),
        ("Dose", {"fields": [
            "mg_per_kg", "minutes", "vial", "concentration_mg_per_ml", "lot", "ndc", "dose_mg",
            "drawn_ml", "total_ml", "rate_ml_per_h", "verified_by", "verified_at",
        ]}),
        ("Administration", {"fields": [
            "started_at", "stopped_at", "stop_reason", "stop_note", "infused_ml", "given_mg",
        ]}),
        ("Discharge", {"fields": [
            "discharge_score_system", "discharge_score", "vitals_near_baseline",
            "escort_present", "discharged_by", "discharged_at",
        ]}),
    ]  # fmt: skip

    @admin.display(description="Visit", ordering="appointment__starts_at")
    def visit_day(self, infusion: Infusion) -> Any:
        return infusion.appointment.starts_at

    @admin.display(description="Given (mg)")
    def given(self, infusion: Infusion) -> str:
        return "–" if infusion.given_mg is None else str(infusion.given_mg)


class ObservationInline(ReadOnlyInline):
    model = Observation
    verbose_name, verbose_name_plural = "measurement", "measurements"
    fields = ["code", "value", "unit"]


@admin.register(VitalSigns)
class VitalSignsAdmin(ClinicalRecordAdmin):
    location_path = "infusion__location_id"
    patient_path = "infusion__patient_id"
    list_display = ["__str__", "infusion", "phase", "taken_at", "recorded_by", "cadss"]
    list_filter = ["phase"]
    list_select_related = ["infusion", "recorded_by"]
    inlines = [ObservationInline]
    fieldsets = [(None, {"fields": ["infusion", "phase", "taken_at", "recorded_by", "cadss"]})]


class MessageInline(ReadOnlyInline):
    model = ChairsideMessage
    verbose_name, verbose_name_plural = "message sent", "messages sent"
    fields = ["round", "recipient", "channel", "status", "attempts", "sent_at", "last_error"]


@admin.register(ChairsideAlert)
class ChairsideAlertAdmin(ClinicalRecordAdmin):
    patient_path = "infusion__patient_id"
    list_display = ["__str__", "location", "raised_at", "round", "acknowledged_by",
                    "acknowledged_at"]  # fmt: skip
    list_filter = [LOCATION_FILTER]
    list_select_related = ["location", "acknowledged_by"]
    inlines = [MessageInline]
    fieldsets = [
        (None, {"fields": ["infusion", "location", "reasons", "raised_at"]}),
        ("Messages", {"fields": ["round", "next_round_at"]}),
        ("Acknowledgement", {"fields": ["acknowledged_by", "acknowledged_at", "action_taken"]}),
    ]
