"""Every form of the scheduling app: the staff's schedule screens, the waitlist, calendar
feeds, and the patient's cancel page. The rules of booking live in actions/; these only
turn what was typed or chosen into plain values, with a kind sentence per field."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dendrite.accounts.models import Role, User
from dendrite.clinics.models import Chair, Location
from dendrite.patients.models import Patient

from . import feeds
from .models import AppointmentType, Channel, FeedKind, SeriesProtocol, Status, WaitlistEntry


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


class UndoForm(forms.Form):
    """Undo the last step of the day (the version guards against a colleague's change)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


GIVEN_BY = [
    ("patient", "The patient"),
    ("representative", "Their parent, guardian or legal representative"),
]


class ContactConsentForm(forms.Form):
    """The patient's consent to be contacted, given at the desk (channel, who, when)."""

    channel = forms.ChoiceField(
        label="They agree to be contacted by", choices=Channel.choices, widget=forms.RadioSelect,
        error_messages={"required": "Please choose e-mail or text messages."},
    )  # fmt: skip
    given_by = forms.ChoiceField(
        label="Who gave the consent", choices=GIVEN_BY, widget=forms.RadioSelect,
        error_messages={"required": "Please choose who gave the consent."},
    )  # fmt: skip
    date = forms.DateField(
        label="Date given", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Please enter the date the consent was given.",
            "invalid": "Please enter the date as 2026-03-09.",
        },
    )  # fmt: skip

    def clean_date(self) -> dt.date:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return date


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


# The waitlist


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


# Calendar feeds


class FeedForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the calendar shows",
        choices=[
            (FeedKind.STAFF, "One person's appointments"),
            (FeedKind.CHAIR, "One chair's appointments"),
            (FeedKind.LOCATION, "Every appointment at a location"),
        ],
        widget=forms.RadioSelect,
    )
    location = forms.ModelChoiceField(queryset=Location.objects.none(), empty_label=None)
    chair = forms.ModelChoiceField(
        queryset=Chair.objects.none(), required=False, help_text="For a chair's calendar."
    )
    staff = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Person",
        help_text="For one person's calendar.",
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        mine = user.location_ids
        self.fields["location"].queryset = Location.objects.filter(pk__in=mine)
        self.fields["chair"].queryset = Chair.objects.filter(
            location__in=mine, is_active=True
        ).select_related("location")
        people = User.objects.filter(pk=user.pk)
        if user.is_clinic_admin:
            people = User.objects.filter(locations__in=mine, is_active=True).distinct()
        self.fields["staff"].queryset = people
        self.initial.setdefault("staff", user.pk)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, location = data.get("kind"), data.get("location")
        # Only the field the kind asks for counts; the others are left behind unsaved.
        for field, needed_by in (("chair", FeedKind.CHAIR), ("staff", FeedKind.STAFF)):
            if kind != needed_by:
                self.errors.pop(field, None)
                data[field] = None
        if kind is None or location is None or self.has_error("chair") or self.has_error("staff"):
            return data
        chair, staff = data["chair"], data["staff"]
        if kind == FeedKind.CHAIR and (chair is None or chair.location_id != location.pk):
            self.add_error("chair", f"Please choose one of the chairs at {location.name}.")
        if kind == FeedKind.STAFF and staff is None:
            self.add_error("staff", "Please choose whose appointments the calendar shows.")
        elif kind == FeedKind.STAFF and not feeds.may_have(self.user, kind, location.pk, staff):
            self.add_error("staff", f"{staff} does not work at {location.name}.")
        return data


# The patient's page, reached from a reminder (no sign-in)


class PatientCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can you not come?"),
        help_text=_("A few words are enough. It helps us offer you a better time."),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Please tell us in a few words why you cannot come."),
            "max_length": _(
                "Please keep the reason to 200 characters or fewer (it has %(show_value)d)."
            ),
        },
    )
