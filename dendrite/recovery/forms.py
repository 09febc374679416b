"""The diary day, the Timeline Followback month, a marker day, and a plan to sign.
Each keeps what was typed and says per field what to change."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dendrite.accounts.forms import check_step_up, code_field
from dendrite.accounts.step_up import StepUp

from . import drinks as standard
from .models import MAX_DRINKS
from .plans import SECTIONS

NUMBER = {"inputmode": "decimal", "autocomplete": "off"}
# MAX_DRINKS (60) written out, so the sentence can be translated whole.
TOO_MANY = _(
    "That is more than 60 drinks in one day, which is more than we can record. "
    "Please check the number; if it is right, please tell your care team."
)


def _drinks_field(required: bool = True, **extra: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Standard drinks"),
        required=required,
        max_digits=4,
        decimal_places=1,
        widget=forms.TextInput(attrs=NUMBER),
        error_messages={
            "invalid": _("Please enter a number, such as 0, 2 or 3.5."),
            "required": _("Please enter the number of drinks; 0 if you had none."),
            "max_digits": TOO_MANY,
            "max_whole_digits": TOO_MANY,
            "max_decimal_places": _("Please use at most one decimal, such as 1.5."),
        },
        **extra,
    )


def _check_drinks(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    if value < 0:
        raise forms.ValidationError(_("The number of drinks cannot be below 0."))
    if value > MAX_DRINKS:
        raise forms.ValidationError(TOO_MANY)
    return value


class DayForm(forms.Form):
    """One day of the diary (the patient's own, or entered by staff for them)."""

    day = forms.DateField(
        label=_("Day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "invalid": _("Please enter a date, such as 2026-11-28."),
            "required": _("Please choose the day."),
        },
    )
    drinks = _drinks_field(
        help_text=_(
            "One standard drink is a 12 oz can of beer (5%), a 5 oz glass of wine (12%) or a "
            "1.5 oz shot of spirits (40%). Use the helper below for other sizes."
        )
    )
    craving = forms.IntegerField(
        label=_("Craving, from 0 (none) to 10 (the strongest)"),
        required=False,
        min_value=0,
        max_value=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Please enter a whole number from 0 to 10."),
            "min_value": _("Please enter a whole number from 0 to 10."),
            "max_value": _("Please enter a whole number from 0 to 10."),
        },
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["day"].widget.attrs["max"] = today.isoformat()

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        if day > self.today:
            raise forms.ValidationError(
                _("That day has not come yet. Please choose today or an earlier day.")
            )
        return day

    def clean_drinks(self) -> Decimal | None:
        return _check_drinks(self.cleaned_data.get("drinks"))


class HelperForm(forms.Form):
    """How many standard drinks: "2 pints of 6% beer" in four fields."""

    count = forms.DecimalField(
        label=_("How many"), min_value=0, max_value=100, max_digits=5, decimal_places=1,
        widget=forms.TextInput(attrs=NUMBER),
        error_messages={"invalid": _("Please enter a number, such as 2.")},
    )  # fmt: skip
    size = forms.DecimalField(
        label=_("Size of each"), min_value=0, max_value=5000, max_digits=6, decimal_places=1,
        widget=forms.TextInput(attrs=NUMBER),
        error_messages={"invalid": _("Please enter a number, such as 16.")},
    )  # fmt: skip
    unit = forms.ChoiceField(
        label=_("Unit"),
        choices=[
            ("fl oz", _("fl oz")),
            ("ml", _("ml")),
            ("pint", _("US pints")),
            ("liter", _("liters")),
        ],
    )
    percent = forms.DecimalField(
        label=_("Alcohol, % by volume"), min_value=0, max_value=100, max_digits=4, decimal_places=1,
        widget=forms.TextInput(attrs=NUMBER),
        error_messages={"invalid": _("Please enter a number, such as 5 or 12.")},
    )  # fmt: skip

    def standard_drinks(self) -> Decimal:
        data = self.cleaned_data
        return standard.standard_drinks(data["count"], data["size"], data["unit"], data["percent"])


class FollowbackForm(forms.Form):
    """One input per day of the Timeline Followback window; blank leaves a day as it is."""

    def __init__(self, *args: Any, days: list[dt.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.days = days
        for day in days:
            field = _drinks_field(required=False)
            field.label = f"{day:%A, %B %-d}"
            self.fields[self.name_for(day)] = field

    @staticmethod
    def name_for(day: dt.date) -> str:
        return f"d{day.isoformat()}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day in self.days:
            name = self.name_for(day)
            try:
                _check_drinks(data.get(name))
            except forms.ValidationError as error:
                self.add_error(name, error)
        return data

    def entered(self) -> dict[dt.date, Decimal]:
        found = {day: self.cleaned_data.get(self.name_for(day)) for day in self.days}
        return {day: drinks for day, drinks in found.items() if drinks is not None}


class MarkerForm(forms.Form):
    day = forms.DateField(
        label="Day", widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Please enter a date, such as 2026-11-26."},
    )  # fmt: skip
    text = forms.CharField(
        label="What happened that day",
        max_length=120,
        required=False,
        help_text="A holiday, a birthday, an event. Leave empty to remove the marker.",
    )


class PlanForm(forms.Form):
    """The plan's sections as the clinician writes them with the patient, signed with the
    clinician's own code (accounts/step_up.py)."""

    def __init__(self, *args: Any, kind: str, step_up: StepUp, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step_up = step_up
        for section in SECTIONS[kind]:
            self.fields[section.key] = forms.CharField(
                label=section.title,
                help_text=section.prompt,
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        self.fields["code"] = code_field(step_up)
        self.fields["code"].label = "Your own six-digit code, to sign"
        self.section_keys = [section.key for section in SECTIONS[kind]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(key, "").strip() for key in self.section_keys):
            self.add_error(self.section_keys[0], "Please write at least one section of the plan.")
        check_step_up(self, self.step_up)
        return data

    def content(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") for key in self.section_keys}
