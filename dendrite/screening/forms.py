"""The screening's forms. Each returns its answers, ready to store, from ``answers()``."""

from collections.abc import Mapping, Sequence
from typing import Any

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

from dendrite.clinics.models import Location
from dendrite.instruments import loader
from dendrite.instruments.loader import Item
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

CHOOSE_ONE = _("Please choose an answer to this question.")
NOT_SHOWN = _("Please choose one of the answers shown.")


def translated(choices: Sequence[tuple[Any, str]]) -> list[tuple[Any, Any]]:
    """The screening's own answers (questions.py), in the visitor's language when shown."""
    return [(value, _(label)) for value, label in choices]


def radio(label: Any, choices: Sequence[tuple[Any, str]], **extra: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_ONE, "invalid_choice": NOT_SHOWN},
        **extra,
    )


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


# Questionnaire pages: one radio group per question of the definition -------------------


def _encode(item: Item, value: Any) -> str:
    if item.is_yes_no:
        return "yes" if value else "no"
    return str(value)


def _choices(item: Item) -> list[tuple[str, str]]:
    if item.is_yes_no:
        return [("yes" if o.code == loader.YES else "no", o.display) for o in item.options]
    if item.is_scored:
        return [(str(o.score), o.display) for o in item.options]
    return [(o.code, o.display) for o in item.options]  # unscored: the LOINC answer code


def _decode(item: Item, value: str) -> Any:
    if item.is_yes_no:
        return value == "yes"
    return int(value) if item.is_scored else value


class QuestionsForm(forms.Form):
    """The questions of one page of a questionnaire, worded as in its definition."""

    def __init__(self, questions: Sequence[Item], *args: Any, **kwargs: Any) -> None:
        given: Mapping[str, Any] = kwargs.pop("answers", {})
        super().__init__(*args, **kwargs)
        self.questions = {f"q{item.link_id}": item for item in questions}
        for name, item in self.questions.items():
            number = f"{item.link_id}. " if item.link_id[0].isdigit() else ""
            self.fields[name] = radio(
                f"{number}{item.text}", _choices(item), required=item.required
            )
            if item.link_id in given:
                self.initial[name] = _encode(item, given[item.link_id])

    def answers(self) -> dict[str, Any]:
        return {
            item.link_id: _decode(item, self.cleaned_data[name])
            for name, item in self.questions.items()
            if self.cleaned_data.get(name) not in (None, "")
        }

    def valid_answers(self) -> dict[str, Any]:
        """The answers that are valid on their own, valid page or not: the safety answers
        among them are kept even when the rest of the page is not."""
        self.is_valid()  # runs the checks once; the errors stay for the page
        return self.answers()


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
