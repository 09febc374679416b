"""The public inquiry form: who is asking, how to reach them, and what about."""

from typing import Any

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dendrite.clinics.models import Location
from dendrite.leads.models import ContactMethod, ContactTime, HeardAbout, Reason

from .spam import TOKEN_FIELD

MESSAGE_MAX_LENGTH = 2000

# The leads app's labels are English only; the public form shows these, keyed by the
# same stored values (test_contact.py checks that every value has one).
REASONS = {
    Reason.DEPRESSION: _("Depression"),
    Reason.ANXIETY: _("Anxiety"),
    Reason.PTSD: _("PTSD (post-traumatic stress)"),
    Reason.ALCOHOL: _("Alcohol use"),
    Reason.OTHER_SUBSTANCES: _("Use of other drugs or substances"),
    Reason.OTHER: _("Something else"),
}
CONTACT_METHODS = {
    ContactMethod.PHONE: _("A phone call"),
    ContactMethod.TEXT: _("A text message"),
    ContactMethod.EMAIL: _("An e-mail"),
}
CONTACT_TIMES = {
    ContactTime.ANY: _("Any time"),
    ContactTime.MORNING: _("Morning"),
    ContactTime.AFTERNOON: _("Afternoon"),
    ContactTime.EVENING: _("Evening"),
}
HEARD_ABOUT = [
    ("", _("Prefer not to say")),
    (HeardAbout.CLINICIAN, _("My doctor, therapist or another clinician")),
    (HeardAbout.SEARCH, _("A web search")),
    (HeardAbout.FRIEND, _("A friend or family member")),
    (HeardAbout.SOCIAL, _("Social media")),
    (HeardAbout.NEWS, _("News or an article")),
    (HeardAbout.OTHER, _("Somewhere else")),
]
NEED_A_WAY_TO_REPLY = _("Please give an e-mail address or a phone number, so that we can reply.")
NEED_AN_EMAIL = _("You chose e-mail: please give an e-mail address, or choose another way.")
NEED_A_PHONE = _(
    "Please give a phone number so that we can call or text you, or choose another way."
)
NEED_TEXT_CONSENT = _(
    "You chose text messages: please tick this box to allow them, or choose another way."
)
TOO_LONG = _("Please shorten this to %(limit_value)d characters or fewer (it has %(show_value)d).")


def us_phone_number(value: str) -> str:
    """The number in E.164 form (+16175550142), if it is a valid US number."""
    problem = ValidationError(
        _("Please enter a US phone number with its area code, such as (617) 555-0142."),
        code="invalid",
    )
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        raise problem from None
    if not phonenumbers.is_valid_number(number):
        raise problem
    if phonenumbers.region_code_for_number(number) != "US":
        raise problem
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class LocationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Location) -> str:
        return f"{obj.name} ({obj.city}, {obj.state})"


class InquiryForm(forms.Form):
    # Named after the Lead fields they fill (see lead_fields).
    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Please tell us your name."), "max_length": TOO_LONG},
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        help_text=_("We need an e-mail address, a phone number, or both."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Please enter an e-mail address such as name@example.com."),
            "max_length": TOO_LONG,
        },
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=32,
        help_text=_("A US number with its area code, such as (617) 555-0142."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        error_messages={"max_length": TOO_LONG},
    )
    location = LocationChoiceField(
        label=_("Which clinic would suit you best?"),
        queryset=Location.objects.active(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose one of our clinics."),
            "invalid_choice": _("Please choose one of our clinics."),
        },
    )
    reasons = forms.MultipleChoiceField(
        label=_("What would you like help with?"),
        help_text=_("Choose all that apply."),
        choices=list(REASONS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Please choose at least one thing you would like help with."),
            "invalid_choice": _("Please choose from the list."),
            "invalid_list": _("Please choose from the list."),
        },
    )
    preferred_contact_method = forms.ChoiceField(
        label=_("How would you like us to contact you?"),
        required=False,
        choices=list(CONTACT_METHODS.items()),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Please choose from the list.")},
    )
    preferred_contact_time = forms.ChoiceField(
        label=_("When is a good time?"),
        required=False,
        initial=ContactTime.ANY,
        choices=list(CONTACT_TIMES.items()),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Please choose from the list.")},
    )
    consent_to_contact = forms.BooleanField(
        label=_("I agree that the clinic may contact me about this message."),
        error_messages={
            "required": _(
                "Please tick this box so that we may contact you; without it we cannot reply."
            )
        },
    )
    consent_to_texts = forms.BooleanField(
        label=_("You may also send me text messages."),
        required=False,
        help_text=_(
            "Optional. Only if you gave a mobile number. Text messages are not fully private."
        ),
    )
    message = forms.CharField(
        label=_("Anything else you would like us to know?"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        help_text=_(
            "Up to 2,000 characters. There is no need for medical details here; "
            "we will go through them with you."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": TOO_LONG},
    )
    heard_about = forms.ChoiceField(
        label=_("How did you hear about us?"),
        required=False,
        choices=HEARD_ABOUT,
        error_messages={"invalid_choice": _("Please choose from the list.")},
    )
    # The signed moment the form was shown (spam.py); kept when the form comes back.
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        return us_phone_number(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        email, phone = data.get("email"), data.get("phone")
        method = data.get("preferred_contact_method")
        unsure = {"email", "phone"} & set(self.errors)  # typed, but not valid
        if not email and not phone and not unsure:
            # A form-level rule, shown beside both fields it concerns.
            self.add_error("email", NEED_A_WAY_TO_REPLY)
            self.add_error("phone", NEED_A_WAY_TO_REPLY)
        elif method == ContactMethod.EMAIL and not email and not unsure:
            self.add_error("preferred_contact_method", NEED_AN_EMAIL)
        elif method in {ContactMethod.PHONE, ContactMethod.TEXT} and not phone and not unsure:
            self.add_error("preferred_contact_method", NEED_A_PHONE)
        if method == ContactMethod.TEXT and not data.get("consent_to_texts"):
            self.add_error("consent_to_texts", NEED_TEXT_CONSENT)
        return data

    def lead_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.fields if name != TOKEN_FIELD}
        fields["consent_to_texts"] = data["consent_to_texts"] and bool(data["phone"])
        return fields
