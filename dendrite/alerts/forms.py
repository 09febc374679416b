import datetime as dt
from typing import Any

from django import forms

from dendrite.accounts.models import CLINICAL_ROLES, User
from dendrite.clinics.models import Location

from .models import OnCallShift, Outcome


class NoteForm(forms.Form):
    """Acknowledging, or a call that reached nobody: a note is welcome, not required."""

    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome", choices=Outcome.choices, widget=forms.RadioSelect,
        error_messages={"required": "Please choose what happened."},
    )  # fmt: skip
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Outcome.OTHER and not data.get("note"):
            self.add_error("note", "Please say in a few words what happened.")
        return data


class ShiftForm(forms.ModelForm):
    """A shift on the on-call rota, in the location's local time."""

    starts = forms.DateTimeField(
        label="Starts", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": "Please give the date and time the shift starts."},
    )  # fmt: skip
    ends = forms.DateTimeField(
        label="Ends", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": "Please give the date and time the shift ends."},
    )  # fmt: skip

    class Meta:
        model = OnCallShift
        fields = ["location", "clinician", "backup"]
        labels = {"clinician": "On call", "backup": "Backup (told from the second round on)"}
        error_messages = {
            "location": {"required": "Please choose the location this shift covers."},
            "clinician": {"required": "Please choose who is on call."},
        }

    def __init__(self, *args: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
        clinicians = User.objects.filter(
            role__in=CLINICAL_ROLES, is_active=True, locations__in=locations
        ).distinct()
        self.fields["clinician"].queryset = clinicians
        self.fields["backup"].queryset = clinicians
        self.fields["clinician"].label_from_instance = _name
        self.fields["backup"].label_from_instance = _name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        location: Location | None = data.get("location")
        clinician, backup = data.get("clinician"), data.get("backup")
        for name in ("clinician", "backup"):
            person = data.get(name)
            if location and person and not person.works_at(location.pk):
                self.add_error(name, f"{person} does not work at {location.name}.")
        if clinician and backup and clinician == backup:
            self.add_error("backup", "The backup must be someone other than the person on call.")
        if clinician and not (clinician.email or clinician.mobile_phone):
            self.add_error(
                "clinician",
                f"{clinician} has no e-mail address or mobile number to be reached on. "
                "Add one to their staff account first.",
            )
        starts, ends = data.get("starts"), data.get("ends")
        if location and starts and ends:
            self.instance.starts_at = _aware(starts, location)
            self.instance.ends_at = _aware(ends, location)
            if self.instance.ends_at <= self.instance.starts_at:
                self.add_error("ends", "The shift must end after it starts.")
        return data


def _name(user: User) -> str:
    return f"{user} ({user.get_role_display()})"


def _aware(value: dt.datetime, location: Location) -> dt.datetime:
    """A wall-clock time typed for the location, in UTC."""
    return value.replace(tzinfo=location.tz).astimezone(dt.UTC)
