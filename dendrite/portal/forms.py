"""The portal's forms: kind messages, in the patient's language."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dendrite.accounts.models import User
from dendrite.clinics.phones import to_e164
from dendrite.patients.forms import check_upload, documents_max_bytes, size_in_words


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


class DetailsForm(forms.Form):
    """The patient's own e-mail, mobile number, language and message consents. At least
    one way to send a sign-in code stays, unless the patient has a passkey."""

    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Please enter an e-mail address such as name@example.com."),
            "max_length": _("Please keep the e-mail address to 254 characters or fewer."),
        },
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        help_text=_("With the area code, such as (617) 555-0142."),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"max_length": _("Please keep the number to 32 characters or fewer.")},
    )
    preferred_language = forms.ChoiceField(
        label=_("Language of our messages"),
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": _("Please choose one of the languages listed.")},
    )
    email_messages = forms.BooleanField(label=_("Send me messages by e-mail"), required=False)
    text_messages = forms.BooleanField(label=_("Send me text messages"), required=False)

    def __init__(self, *args: Any, has_passkey: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_passkey = has_passkey

    def clean_phone(self) -> str:
        value: str = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        number = to_e164(value)
        if number is None:
            raise forms.ValidationError(
                _("Please enter a mobile number with the area code, such as (617) 555-0142.")
            )
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("email_messages") and "email" in data and not data["email"]:
            self.add_error(
                "email", _("Please enter your e-mail address to get messages by e-mail.")
            )
        if data.get("text_messages") and "phone" in data and not data["phone"]:
            self.add_error("phone", _("Please enter your mobile number to get text messages."))
        reachable = (data.get("email_messages") and data.get("email")) or (
            data.get("text_messages") and data.get("phone")
        )
        if not self.errors and not reachable and not self.has_passkey:
            raise forms.ValidationError(
                _(
                    "Please keep at least one way we can send you messages: your sign-in "
                    "codes come that way."
                )
            )
        return data


class AttachmentForm(forms.Form):
    """A message form with an optional attachment under the chart documents' rules
    (patients.forms.check_upload): the size limit, and the type from the first bytes.
    The patient's and the staff's forms differ only in their words."""

    too_large: Any = ""
    wrong_type: Any = ""

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        upload.content_type = check_upload(
            upload, too_large=self.too_large, wrong_type=self.wrong_type
        )
        return upload


class MessageForm(AttachmentForm):
    too_large = _("That file is too large. Please send a smaller one, or split it.")
    wrong_type = _("Only PDF, PNG and JPEG files can be sent, and this file is none of them.")
    body = forms.CharField(
        label=_("Your message"),
        help_text=_("Up to 2000 characters. Please do not write about an emergency here."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Please write your message."),
            "max_length": _(
                "Your message is %(show_value)d characters long; please keep it to "
                "%(limit_value)d, or send the rest in a second message."
            ),
        },
    )

    attachment = forms.FileField(
        label=_("A file to send with it (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        error_messages={"empty": _("That file is empty; please choose another.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        size = size_in_words(documents_max_bytes())
        self.fields["attachment"].help_text = gettext(
            "A PDF, PNG or JPEG file of at most %(size)s."
        ) % {"size": size}

    def clean_body(self) -> str:
        body = str(self.cleaned_data["body"]).strip()
        if not body:
            raise forms.ValidationError(_("Please write your message."))
        return body


class StaffReplyForm(AttachmentForm):
    wrong_type = (
        "Only PDF, PNG and JPEG files can be sent, and this file is none of them "
        "(whatever its name says)."
    )
    body = forms.CharField(
        label="Your reply",
        help_text=(
            "Up to 2000 characters. The patient is told there is a new message, not what it says."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Please write the reply.",
            "max_length": (
                "The reply is %(show_value)d characters long; please keep it to %(limit_value)d."
            ),
        },
    )
    attachment = forms.FileField(
        label="A file to send with it (optional)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        error_messages={"empty": "That file is empty; please choose another."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = size_in_words(documents_max_bytes())
        self.fields[
            "attachment"
        ].help_text = (
            f"A PDF, PNG or JPEG file of at most {limit}. The patient downloads it from the thread."
        )
        self.too_large = (
            f"That file is larger than {limit}. Please send a smaller one, or split it into parts."
        )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Who answers this thread",
        empty_label="Nobody yet",
        error_messages={"invalid_choice": "Please choose someone from this location's team."},
    )

    def __init__(self, *args: Any, team: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[member.pk for member in team])
        field.label_from_instance = lambda user: user.get_full_name() or "A colleague"
