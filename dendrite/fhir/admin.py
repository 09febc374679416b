"""The back office for FHIR clients: a clinic admin registers a backend client with its
public keys (pasted JWKS, no fetching), its scopes and the locations it may read; and
records a patient's 42 CFR Part 2 disclosure consent naming a client (audited)."""

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from dendrite.clinics.admin import LocationScopedAdmin
from dendrite.clinics.models import Location

from . import scopes
from .access import KINDS
from .actions import record_consent
from .auth import public_key_set
from .models import Client, Disclosure, DisclosureConsent, all_sud_records


class ClientForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Client
        fields = ["name", "client_id", "organization", "locations", "jwks", "scopes", "is_active"]

    def clean_jwks(self) -> Any:
        jwks = self.cleaned_data["jwks"]
        if isinstance(jwks, str):
            try:
                jwks = json.loads(jwks)
            except ValueError as error:
                raise forms.ValidationError("The key set is not JSON.") from error
        try:
            public_key_set(jwks)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        return jwks

    def clean_scopes(self) -> str:
        text: str = self.cleaned_data["scopes"]
        bad = [
            scope
            for scope in scopes.split(text)
            if (grant := scopes.parse(scope)) is None or grant.resource_type not in {"*", *KINDS}
        ]
        if bad or not scopes.split(text):
            raise forms.ValidationError(
                "Each scope looks like system/Patient.rs or system/*.read; not understood: "
                + (", ".join(bad) or "(none given)")
            )
        return " ".join(scopes.split(text))

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        organization, locations = data.get("organization"), data.get("locations")
        if (
            organization
            and locations
            and any(location.organization_id != organization.pk for location in locations)
        ):
            self.add_error("locations", "Choose locations of the client's organisation only.")
        return data


@admin.register(Client)
class ClientAdmin(LocationScopedAdmin):
    form = ClientForm
    list_display = ["name", "client_id", "organization", "is_active", "created_at"]
    list_filter = ["is_active"]
    location_path = "locations__id"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).distinct()

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "locations" and not request.user.is_superuser:
            kwargs["queryset"] = Location.objects.filter(pk__in=request.user.location_ids)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class DisclosureConsentForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = DisclosureConsent
        fields = ["patient", "recipient_name", "client", "purpose", "purpose_text", "records",
                  "starts_on", "ends_on", "revoked_at", "revoke_reason"]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["records"].required = False  # left empty: every substance-use record
        self.fields["records"].help_text = (
            "A list of instrument codes; leave empty for all: " + ", ".join(all_sud_records())
        )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        covered = data.get("records")
        if not covered:
            data["records"] = all_sud_records()
        elif not (isinstance(covered, list) and set(covered) <= set(all_sud_records())):
            self.add_error("records", "Give a list of: " + ", ".join(all_sud_records()))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The consent must end on or after the day it starts.")
        if data.get("purpose") == DisclosureConsent.Purpose.OTHER and not data.get("purpose_text"):
            self.add_error("purpose_text", "Say what the other purpose is.")
        if not data.get("recipient_name") and not data.get("client"):
            self.add_error("recipient_name", "Name the recipient the patient named.")
        patient, client = data.get("patient"), data.get("client")
        if patient and client and not client.locations.filter(pk=patient.location_id).exists():
            self.add_error("client", "This client is not registered for the patient's location.")
        return data


@admin.register(DisclosureConsent)
class DisclosureConsentAdmin(LocationScopedAdmin):
    form = DisclosureConsentForm
    list_display = ["patient", "recipient", "purpose", "starts_on", "ends_on", "revoked_at"]
    raw_id_fields = ["patient"]
    location_path = "patient__location_id"

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "client" and not request.user.is_superuser:
            kwargs["queryset"] = Client.objects.filter(
                locations__in=request.user.location_ids
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        record_consent(obj, request.user)  # type: ignore[arg-type]


@admin.register(Disclosure)
class DisclosureAdmin(LocationScopedAdmin):
    list_display = ["at", "patient", "client", "purpose", "resource_types", "count"]
    location_path = "patient__location_id"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
