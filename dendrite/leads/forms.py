import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from dendrite.accounts.models import User
from dendrite.patients.models import Sex

from .models import Channel, ContactOutcome, Lead, Outcome, Status

NOT_OFFERED = forms.ModelChoiceField.default_error_messages["invalid_choice"]


class FilterSelect(forms.Select):
    """Django's select with each option written in its loop, not included twice (the
    option and its attributes: a select's options carry only `selected`). Same HTML."""

    template_name = "leads/_filter_select.html"


class InboxFilter(forms.Form):
    q = forms.CharField(label="Search name, e-mail or phone", required=False, max_length=100)
    location = forms.TypedChoiceField(  # the user's own (choices: __init__)
        coerce=int, required=False, error_messages={"invalid_choice": NOT_OFFERED},
        widget=FilterSelect,
    )  # fmt: skip
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Status.choices], required=False, widget=FilterSelect
    )
    outcome = forms.ChoiceField(
        choices=[("", "Any triage"), *Outcome.choices], required=False, widget=FilterSelect
    )
    assignee = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Anyone", widget=FilterSelect
    )
    overdue = forms.BooleanField(label="Only past the first-response target", required=False)

    def __init__(self, *args: Any, user: User, clinical: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The user's locations by name, read with their ids: no query of its own.
        locations = [("", "All my locations"), *user.location_names.items()]
        self.fields["location"].choices = locations
        self.fields["assignee"].queryset = colleagues(user)
        if not clinical:
            del self.fields["outcome"]  # triage is clinical information

    def apply(self, leads: QuerySet[Lead]) -> QuerySet[Lead]:
        data = self.cleaned_data
        if data.get("q"):
            text = data["q"]
            digits = "".join(ch for ch in text if ch.isdigit())
            match = Q(name__icontains=text) | Q(email__icontains=text)
            if len(digits) >= 4:
                match |= Q(phone__contains=digits)
            hits = Lead.objects.filter(match)  # a linked submission finds its person too
            leads = leads.filter(Q(pk__in=hits.values("pk")) | Q(pk__in=hits.values("linked_to")))
        for name in ("location", "status", "assignee"):
            if data.get(name):
                leads = leads.filter(**{name: data[name]})
        if data.get("outcome"):
            screened = Lead.objects.filter(triage_outcome=data["outcome"]).values("linked_to")
            leads = leads.filter(Q(triage_outcome=data["outcome"]) | Q(pk__in=screened))
        if data.get("overdue"):
            leads = leads.overdue()
        return leads


def colleagues(user: User) -> QuerySet[User]:
    return User.objects.filter(locations__in=user.location_ids, is_active=True).distinct()


class LinkForm(forms.Form):
    other = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class StatusForm(VersionedForm):
    # "Became a patient" is set by converting the lead, which also creates the chart;
    # choosing it by hand would leave a lead that claims a chart it does not have.
    status = forms.ChoiceField(
        label="New status",
        choices=[
            (value, label) for value, label in Status.choices if value != Status.BECAME_PATIENT
        ],
    )
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ContactForm(VersionedForm):
    channel = forms.ChoiceField(label="How", choices=Channel.choices)
    outcome = forms.ChoiceField(label="What happened", choices=ContactOutcome.choices)
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(VersionedForm):
    assignee = forms.ModelChoiceField(
        label="Assign to", queryset=User.objects.none(), required=False, empty_label="Nobody"
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = colleagues(user)


class ConvertForm(forms.Form):
    """What a chart needs that the lead did not collect; the rest comes from the lead."""

    first_name = forms.CharField(label="Legal first name", max_length=100)
    last_name = forms.CharField(label="Legal last name", max_length=100)
    date_of_birth = forms.DateField(
        label="Date of birth", help_text="For example 1985-12-10.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices)

    def clean_date_of_birth(self) -> dt.date:
        born = self.cleaned_data["date_of_birth"]
        if born >= timezone.localdate():
            raise forms.ValidationError("The date of birth must be in the past.")
        return born
