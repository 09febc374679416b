"""What a person asks for when they request a consultation from their result."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dendrite.clinics.models import Location
from dendrite.leads.models import ContactBy, TimeOfDay, Weekday


class ConsultationRequestForm(forms.Form):
    location = forms.ModelChoiceField(
        label=_("Where would you like to come?"), queryset=Location.objects.none(),
        widget=forms.RadioSelect, empty_label=None,
        error_messages={"required": _("Please choose a location."),
                        "invalid_choice": _("Please choose a location from the list.")},
    )  # fmt: skip
    days = forms.MultipleChoiceField(
        label=_("Which days suit you? (leave empty for any day)"), required=False,
        choices=Weekday.choices, widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    times = forms.MultipleChoiceField(
        label=_("Which times of day suit you? (leave empty for any time)"), required=False,
        choices=TimeOfDay.choices, widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    contact_by = forms.ChoiceField(
        label=_("How should the clinic contact you to agree the time?"),
        choices=ContactBy.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Please choose how the clinic should contact you.")},
    )  # fmt: skip

    def __init__(self, *args: Any, initial_location: Location, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["location"] = initial_location.pk
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(is_active=True).order_by("name")
