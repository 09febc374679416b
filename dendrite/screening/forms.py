"""The screening's forms. Each returns its answers, ready to store, from ``answers()``.
The questionnaires' pages use instruments.forms.QuestionsForm."""

from collections.abc import Mapping, Sequence
from typing import Any

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

from dendrite.clinics.models import Location
from dendrite.instruments.forms import CHOOSE_ONE, NOT_SHOWN, radio
from dendrite.leads.models import Lead

from .questions import (
    AGE_BANDS,
    ANTIDEPRESSANT_TRIALS,
    HEALTH_QUESTIONS,
    MEDICATIONS,
    SEXES,
    UNDER_18,
    YES_NO,
    YES_NO_NOT_SURE,
)


def translated(choices: Sequence[tuple[Any, str]]) -> list[tuple[Any, Any]]:
    """The screening's own answers (questions.py), in the visitor's language when shown."""
    return [(value, _(label)) for value, label in choices]


class LocationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Location) -> str:
        return f"{obj.name} ({obj.city}, {obj.state})"


class ContactForm(forms.Form):
    """Step 1: who to call back, and the two facts the questionnaires need."""

    age_band = radio(_("How old are you?"), translated(AGE_BANDS))
    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Please tell us your name.")},
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        help_text=_("Give an e-mail address, a phone number, or both."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Please enter an e-mail address such as name@example.com.")},
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=32,
        help_text=_("A US number, such as (617) 555-0142."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    location = LocationChoiceField(
        label=_("Which clinic would suit you best?"),
        queryset=Location.objects.active(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Please choose a clinic.")},
    )
    sex = radio(
        _("Sex"),
        translated(SEXES),
        help_text=_(
            "We ask only because the alcohol questions are scored differently for women and"
            " for men. If neither fits you, choose the one your doctor uses for your care."
        ),
    )
    consent = forms.BooleanField(
        label=_("I agree that the clinic may contact me by e-mail or phone about this screening."),
        error_messages={"required": _("Please agree, so that the clinic may contact you.")},
    )

    # The signed moment the first page was shown (defences.py); not part of the answers.
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)

    def is_under_18(self) -> bool:
        """Said to be under 18, whatever else the form holds (nothing of it is kept)."""
        return self.data.get(self.add_prefix("age_band")) == UNDER_18

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        problem = _("Please enter a phone number we can call, such as (617) 555-0142.")
        try:
            number = phonenumbers.parse(value, "US")
        except phonenumbers.NumberParseException:
            raise forms.ValidationError(problem) from None
        if not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(problem)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        given = data.get("email") or data.get("phone")
        if not given and not self.has_error("email") and not self.has_error("phone"):
            message = _("Please give an e-mail address or a phone number, so we can reach you.")
            self.add_error("email", message)
            self.add_error("phone", message)
        return data

    def lead_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "phone": data["phone"],
            "location": data["location"],
            "consent_to_contact": data["consent"],
        }

    def answers(self) -> dict[str, Any]:
        return {"age_band": self.cleaned_data["age_band"], "sex": self.cleaned_data["sex"]}

    @classmethod
    def initial_for(cls, lead: Lead, answers: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "name": lead.name,
            "email": lead.email,
            "phone": lead.phone,
            "location": lead.location_id,
            "consent": lead.consent_to_contact,
            **answers,
        }


class HealthForm(forms.Form):
    """Step 7: the contraindications and cautions of CLINICAL.md §3.2, past alcohol
    withdrawal (§4) and the clinic-configurable questions, as yes/no/not sure."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question, text in HEALTH_QUESTIONS:
            self.fields[question] = radio(_(text), translated(YES_NO_NOT_SURE))

    def answers(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class TreatmentForm(forms.Form):
    """Step 8: treatment tried so far, and medicines that matter with ketamine."""

    antidepressants = forms.TypedChoiceField(
        label=_(
            "How many antidepressant medicines have you tried at the full dose your prescriber"
            " advised, for at least 4 to 6 weeks each?"
        ),
        choices=translated(ANTIDEPRESSANT_TRIALS),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_ONE, "invalid_choice": NOT_SHOWN},
    )
    therapy = radio(
        _("Have you tried talking therapy, such as psychotherapy or counselling?"),
        translated(YES_NO),
    )
    medications = forms.MultipleChoiceField(
        label=_("Do you take any of these medicines now? Tick all that apply."),
        choices=translated(MEDICATIONS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NOT_SHOWN},
    )
    other_medications = forms.CharField(
        label=_("Other medicines you take now (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Please keep this to %(limit_value)d characters.")},
    )

    def answers(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
