"""Putting a patient on the waitlist."""

from typing import Any

from django import forms

from dendrite.patients.models import Patient

from .models import AppointmentType, WaitlistEntry


class WaitlistForm(forms.ModelForm):
    class Meta:
        model = WaitlistEntry
        fields = ["appointment_type", "earliest", "latest", "note"]
        labels = {
            "appointment_type": "Visit type",
            "earliest": "Earliest day",
            "latest": "Latest day",
            "note": "Note for colleagues",
        }
        help_texts = {"note": "For example the times of day that suit. Nothing clinical."}
        widgets = {
            "earliest": forms.DateInput(attrs={"type": "date"}),
            "latest": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, patient: Patient, today: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.patient = patient
        self.today = today
        self.fields["appointment_type"].queryset = AppointmentType.objects.active().filter(
            location_id=patient.location_id
        )
        self.fields["appointment_type"].empty_label = None

    def clean_earliest(self) -> Any:
        earliest = self.cleaned_data["earliest"]
        if earliest < self.today:
            raise forms.ValidationError("The earliest day cannot be in the past.")
        return earliest

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        earliest, latest = data.get("earliest"), data.get("latest")
        if earliest and latest and latest < earliest:
            self.add_error("latest", "The latest day must be on or after the earliest day.")
        return data
