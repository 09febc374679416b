from typing import Any

from django import forms

from .models import Cadence, Instrument


class UnlockForm(forms.Form):
    password = forms.CharField(
        label="Staff password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Please enter your password to return to the staff view."},
    )


class PlanChangeForm(forms.Form):
    """A prescriber's change to one patient's plan."""

    instrument = forms.ChoiceField(choices=Instrument.choices)
    change = forms.ChoiceField(
        label="Change",
        choices=[("ask", "Ask it for this patient"), ("remove", "Do not ask it")],
        widget=forms.RadioSelect,
        initial="ask",
    )
    cadence = forms.ChoiceField(label="How often", choices=Cadence.choices, required=False)
    every_days = forms.IntegerField(
        label="Every how many days", min_value=1, max_value=365, required=False
    )
    reason = forms.CharField(label="Why (optional)", max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("change") == "ask":
            if not data.get("cadence"):
                self.add_error("cadence", "Please choose how often to ask it.")
            elif data["cadence"] == Cadence.EVERY_DAYS and not data.get("every_days"):
                self.add_error("every_days", "Please give the number of days, such as 30.")
        return data
