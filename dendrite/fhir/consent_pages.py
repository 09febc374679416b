"""Staff pages for Part 2 disclosure consents (42 CFR 2.31): recording one as the patient
signed it, and revoking one, from the chart's disclosures section.

Who: the people who read that section (nurses, prescribers and clinic admins of the
patient's location, disclosures.ROLES). The front desk does not see substance-use
records (the section is clinical), so it does not record their consents either.
"""

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from dendrite.accounts.access import fetch_for
from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import User
from dendrite.instruments.labels import short_title
from dendrite.patients.models import Patient

from .actions import record_consent, revoke_consent
from .disclosures import ROLES
from .models import Client, DisclosureConsent, all_sud_records

DATE = forms.DateInput(attrs={"type": "date"})


def record_choices() -> list[tuple[str, str]]:
    """The substance-use instruments a consent may cover, by their titles."""
    return [(code, f"{short_title(code)}: answers and scores") for code in all_sud_records()]


class ConsentForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = DisclosureConsent
        fields = ["recipient_name", "client", "purpose", "purpose_text", "records", "starts_on",
                  "ends_on"]  # fmt: skip
        labels = {
            "recipient_name": "Recipient",
            "client": "Recipient's connection to the API",
            "purpose": "Purpose",
            "purpose_text": "The other purpose",
            "records": "What may be disclosed",
            "starts_on": "Signed on",
            "ends_on": "Expires on",
        }
        help_texts = {
            "recipient_name": "The person or organisation the patient named on the form.",
            "client": "Only a recipient connected to the API receives records through it.",
            "purpose_text": "Only when the purpose is other.",
            "starts_on": "The consent is in force from this day.",
            "ends_on": "The last day the consent is in force.",
        }
        widgets = {"starts_on": DATE, "ends_on": DATE}
        error_messages = {
            "purpose": {"required": "Choose the purpose the patient agreed to."},
            "starts_on": {
                "required": "Give the day the patient signed.",
                "invalid": "Give the day the patient signed as a date.",
            },
            "ends_on": {
                "required": "Give the day the consent expires.",
                "invalid": "Give the day the consent expires as a date.",
            },
        }

    records = forms.MultipleChoiceField(
        label="What may be disclosed",
        choices=record_choices,
        widget=forms.CheckboxSelectMultiple,
        initial=all_sud_records,
        help_text="The substance use records the patient agreed to disclose.",
        error_messages={
            "required": "Choose at least one kind of record the patient agreed to disclose.",
            "invalid_choice": "Choose from the list.",
        },
    )

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["client"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Client.objects.filter(
            locations=patient.location_id, is_active=True
        ).order_by("name")
        field.empty_label = "Not connected to the API"
        field.error_messages["invalid_choice"] = "Choose a connection from the list."

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        client = data.get("client")
        if not data.get("recipient_name"):
            if client is not None:
                data["recipient_name"] = client.name
            elif "client" not in self.errors:
                self.add_error("recipient_name", "Name the recipient the patient named.")
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The consent must expire on or after the day it was signed.")
        if data.get("purpose") == DisclosureConsent.Purpose.OTHER and not data.get("purpose_text"):
            self.add_error("purpose_text", "Say what the other purpose is.")
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the patient revoked it in writing on this day.",
        error_messages={"required": "Give the reason for revoking the consent."},
    )


def _patient(request: HttpRequest, patient_id: int, action: str) -> Patient:
    return fetch_for(
        request.user,  # type: ignore[arg-type]
        Patient.objects.all(),
        patient_id,
        roles=ROLES,
        location_of=lambda p: p.location_id,
        action=action,
        patient_of=lambda p: p.pk,
    )


def _back(patient: Patient) -> HttpResponse:
    return redirect(reverse("patients:chart", args=[patient.pk]) + "#disclosures")


@staff_required(roles=ROLES)
@require_http_methods(["GET", "POST"])
def consent_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id, "part2_consent.record")
    form = ConsentForm(request.POST or None, patient=patient)
    if form.is_valid():
        consent = form.save(commit=False)
        consent.patient = patient
        by: User = request.user  # type: ignore[assignment]
        record_consent(consent, by)
        return _back(patient)
    return render(request, "fhir/consent_form.html", {"patient": patient, "form": form})


@staff_required(roles=ROLES)
@require_http_methods(["GET", "POST"])
def consent_revoke(request: HttpRequest, patient_id: int, pk: int) -> HttpResponse:
    patient = _patient(request, patient_id, "part2_consent.revoke")
    consent = fetch_for(
        request.user,  # type: ignore[arg-type]
        DisclosureConsent.objects.filter(patient=patient, revoked_at__isnull=True),
        pk,
        roles=ROLES,
        location_of=lambda c: patient.location_id,
        action="revoke",
        patient_of=lambda c: c.patient_id,
    )
    form = RevokeForm(request.POST or None)
    if form.is_valid():
        by: User = request.user  # type: ignore[assignment]
        revoke_consent(consent, by, reason=form.cleaned_data["reason"])
        return _back(patient)
    context = {"patient": patient, "consent": consent, "form": form}
    return render(request, "fhir/consent_revoke.html", context)
