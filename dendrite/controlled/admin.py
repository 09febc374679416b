"""The ketamine log in the back office: read-only for everyone. The log is append-only
(models.py, triggers.py), so nothing here adds, changes or deletes a line; corrections
are made on the staff screens as new entries. A clinic admin reads the log of their own
locations; patients appear by medical record number only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dendrite.accounts.models import Role
from dendrite.clinics.admin import LOCATION_FILTER, LocationScopedAdmin

from .models import Count, CountLine, Movement, Receipt, Vial


def may_read(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_superuser or getattr(user, "role", None) == Role.CLINIC_ADMIN)


class ReadOnly:
    """No add, change or delete, and no bulk delete; viewing for clinic admins."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_read(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_read(request)


class LogAdmin(ReadOnly, LocationScopedAdmin):
    actions = None  # not even the bulk delete
    show_full_result_count = False


@admin.register(Receipt)
class ReceiptAdmin(LogAdmin):
    list_display = ["received_on", "location", "supplier_name", "invoice_number", "received_by"]
    list_filter = [LOCATION_FILTER]
    date_hierarchy = "received_on"


@admin.register(Vial)
class VialAdmin(LogAdmin):
    list_display = [
        "__str__", "location", "ndc", "lot", "expires_on", "strength", "volume", "stored_in",
    ]  # fmt: skip
    list_filter = [LOCATION_FILTER]
    search_fields = ["ndc", "lot"]

    @admin.display(description="strength")
    def strength(self, vial: Vial) -> str:
        return f"{vial.concentration_mg_per_ml} mg/mL"

    @admin.display(description="volume")
    def volume(self, vial: Vial) -> str:
        return f"{vial.volume_ml} mL"


class CountLineInline(ReadOnly, admin.TabularInline):
    model = CountLine
    fields = ["vial", "expected_ml", "counted_ml", "estimated"]
    readonly_fields = fields
    extra = 0


@admin.register(Count)
class CountAdmin(LogAdmin):
    list_display = ["taken_at", "kind", "location", "by", "has_discrepancy"]
    list_filter = [LOCATION_FILTER, "kind", "has_discrepancy"]
    date_hierarchy = "taken_at"
    inlines = [CountLineInline]


@admin.register(Movement)
class MovementAdmin(LogAdmin):
    list_display = ["at", "kind", "vial", "location", "change", "balance", "by", "witness"]
    list_filter = [LOCATION_FILTER, "kind"]
    date_hierarchy = "at"
    list_select_related = ["vial", "location", "by", "witness"]
    # The patient by record number only: the back office is not the chart.
    fields = [
        "location", "vial", "seq", "kind", "at", "recorded_at", "by", "witness", "change_ml",
        "balance_after_ml", "drawn_ml", "given_ml", "wasted_ml", "patient_mrn", "count",
        "method", "reference", "note",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description="change")
    def change(self, movement: Movement) -> str:
        return f"{movement.change_ml} mL"

    @admin.display(description="balance after")
    def balance(self, movement: Movement) -> str:
        return f"{movement.balance_after_ml} mL"

    @admin.display(description="patient's medical record number")
    def patient_mrn(self, movement: Movement) -> str:
        return movement.patient.mrn if movement.patient_id else "—"
