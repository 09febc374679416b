"""The portal's forms: kind messages, in the patient's language."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AddressForm(forms.Form):
    address = forms.CharField(
        label=_("Your e-mail address or mobile number"),
        help_text=_("The one your clinic has on file. We will send you a code."),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}),
        error_messages={"required": _("Please enter your e-mail address or mobile number.")},
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("The 6-digit code"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": r"\d{6}"}
        ),
        error_messages={
            "required": _("Please enter the code from your message."),
            "invalid": _("The code has 6 digits. Please check it and try again."),
        },
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can you not come?"),
        help_text=_("A few words are enough. It helps us offer you a better time."),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Please tell us in a few words why you cannot come."),
            "max_length": _("Please keep the reason to 200 characters or fewer."),
        },
    )


class ChangeRequestForm(forms.Form):
    note = forms.CharField(
        label=_("What would suit you better?"),
        help_text=_("For example: “any weekday morning next week”. Our front desk will call you."),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Please tell us which days or times would suit you."),
            "max_length": _("Please keep it to 300 characters or fewer."),
        },
    )


class PasskeyNameForm(forms.Form):
    name = forms.CharField(max_length=60, required=False)
