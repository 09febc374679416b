"""Forms of the staff's schedule screens. The rules of booking live in actions.py; these
only turn what was typed or chosen into plain values, with a kind sentence per field."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from dendrite.accounts.models import Role, User
from dendrite.clinics.models import Location

from .models import AppointmentType, SeriesProtocol, Status


class MomentField(forms.Field):
    """An exact moment, as the free-time lists post it back: ISO 8601 with its offset."""

    default_error_messages = {"invalid": "Please choose one of the times offered."}

    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError as bad:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from bad
        if moment.tzinfo is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return moment.astimezone(dt.UTC)


class MomentsField(forms.Field):
    """Several exact moments (a previewed series), from repeated hidden inputs."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": "The planned times were not understood."}

    def to_python(self, value: Any) -> list[dt.datetime]:
        moment = MomentField(error_messages=self.error_messages)
        return [moment.to_python(item) for item in value or [] if item]

    def validate(self, value: list[dt.datetime]) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["invalid"], code="required")


def staff_who_see_patients(location: Location) -> Any:
    return User.objects.filter(
        locations=location, role__in=[Role.NURSE, Role.PRESCRIBER], is_active=True
    )


class DayForm(forms.Form):
    """Which day of which location to show (the day view's picker, plain GET)."""

    location = forms.ModelChoiceField(
        queryset=Location.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Please choose one of your locations."},
    )
    day = forms.DateField(
        label="Day",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Please enter a date, such as 2026-03-09."},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(pk__in=user.location_ids)


class StatusForm(forms.Form):
    """One button of the day: move an appointment to its next status."""

    status = forms.ChoiceField(choices=[c for c in Status.choices if c[0] != Status.CANCELLED])
    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason for cancelling",
        max_length=200,
        error_messages={"required": "Please say why the appointment is cancelled."},
        help_text="Kept with the appointment; the patient does not see it.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class FindTimesForm(forms.Form):
    """What to book and from which day; free times are shown for that day and a few after."""

    appointment_type = forms.ModelChoiceField(
        label="Visit type",
        queryset=AppointmentType.objects.none(),
        to_field_name="kind",
        empty_label=None,
        error_messages={"invalid_choice": "Please choose a visit type from the list."},
    )
    day = forms.DateField(
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Please enter the first day to look at.",
            "invalid": "Please enter a date, such as 2026-03-09.",
        },
    )
    staff = forms.ModelChoiceField(
        label="With",
        queryset=User.objects.none(),
        required=False,
        empty_label="Anyone free",
        error_messages={"invalid_choice": "Please choose a staff member from the list."},
    )

    def __init__(self, *args: Any, location: Location, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["appointment_type"].queryset = location.appointment_types.active()
        self.fields["staff"].queryset = staff_who_see_patients(location)

    def clean_day(self) -> dt.date:
        day = self.cleaned_data["day"]
        if day < self.today:
            raise ValidationError("That day has passed. Please choose today or a later day.")
        return day


class BookForm(FindTimesForm):
    """The chosen time, with what it was chosen from (so a refusal shows the same list)."""

    starts_at = MomentField(
        label="Time", error_messages={"required": "Please choose one of the free times."}
    )

    def clean_day(self) -> dt.date:
        return self.cleaned_data["day"]  # the action refuses a past time with its own words


class SeriesForm(forms.Form):
    protocol = forms.ModelChoiceField(
        label="Series",
        queryset=SeriesProtocol.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Please choose a series from the list."},
    )
    first_day = forms.DateField(
        label="First infusion on or after",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Please enter the first day the patient could come.",
            "invalid": "Please enter a date, such as 2026-03-09.",
        },
    )
    preferred_time = forms.TimeField(
        label="Preferred time of day",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="Optional. The plan keeps to this time where it can.",
        error_messages={"invalid": "Please enter a time, such as 09:30."},
    )

    def __init__(self, *args: Any, location: Location, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        protocols = location.protocols.filter(is_active=True, appointment_type__is_active=True)
        self.fields["protocol"].queryset = protocols.select_related("appointment_type")


class ConfirmSeriesForm(SeriesForm):
    """The previewed plan posted back: the same choices plus each planned start."""

    starts = MomentsField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("protocol", "first_day", "preferred_time"):
            self.fields[name].widget = forms.HiddenInput()


class RebookForm(forms.Form):
    starts_at = MomentField(
        label="New time", error_messages={"required": "Please choose one of the free times."}
    )


class MoveForm(forms.Form):
    starts_at = MomentField(
        label="New time", error_messages={"required": "Please choose one of the free times."}
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
