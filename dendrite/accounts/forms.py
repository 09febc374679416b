from collections.abc import Iterator
from typing import Any

import phonenumbers
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.http import HttpRequest

from dendrite.audit.log import record
from dendrite.audit.models import AuditEvent
from dendrite.mail import send_later
from dendrite.ratelimit import Window, client_ip

from .access import roles_granted_by
from .models import Role, User
from .step_up import StepUp


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No autofocus: the first Tab must reach the skip link and the crisis line.
        self.fields["username"].widget.attrs.pop("autofocus", None)

    error_messages = {
        "invalid_login": (
            "That username and password do not match an account. Please check them and "
            "try again; after several failed tries the account is locked for a while."
        ),
        "inactive": "This account has been switched off. Please ask your clinic admin.",
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Six-digit code from your authenticator app (or a recovery code)",
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split()).replace("-", "").lower()


def password_reset_windows() -> tuple[Window, Window]:
    """Reset links an account may be sent, and requests one address may make, per hour."""
    hour = 60 * 60
    return (
        Window("password-reset-account", settings.PASSWORD_RESET_ACCOUNT_LIMIT, hour),
        Window("password-reset-address", settings.PASSWORD_RESET_ADDRESS_LIMIT, hour),
    )


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail goes through the task queue, retried if mail is down.

    Rate-limited per account (nobody's mailbox is flooded with links) and per address
    (nobody sweeps the staff list). A request over a limit gets the same answer as any
    other, so the page never tells whether an address has an account; it is audited.
    """

    def save(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        address = (client_ip(request) if request else None) or "unknown"
        if not password_reset_windows()[1].allow(address):
            record(
                "auth.password_reset_limited",
                outcome=AuditEvent.Outcome.DENIED,
                detail={"limit": "address"},
            )
            return
        super().save(*args, request=request, **kwargs)

    def get_users(self, email: str) -> Iterator[Any]:
        per_account = password_reset_windows()[0]
        for user in super().get_users(email):
            if per_account.allow(str(user.pk)):
                yield user
            else:
                record(
                    "auth.password_reset_limited",
                    obj=user,
                    outcome=AuditEvent.Outcome.DENIED,
                    detail={"limit": "account"},
                )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from django.template import loader

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_later(subject, body, [to_email])


STEP_UP_MISSING = (
    "To change the e-mail address or the role, please enter the current six-digit code "
    "from your own authenticator app."
)
STEP_UP_WRONG = (
    "That code did not work. Codes change every 30 seconds and each one works only once, "
    "so please enter the newest code from your own app."
)
OWN_ACCOUNT = "You cannot change your own role or locations; please ask another clinic admin."


def code_field(step_up: StepUp) -> forms.CharField:
    help_text = (
        "You confirmed it is you a few minutes ago, so no code is needed now."
        if step_up.fresh
        else "The current code from your own authenticator app (or one of your recovery "
        "codes), to confirm it is you."
    )
    return forms.CharField(
        label="Your own six-digit code",
        required=False,
        max_length=32,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def check_step_up(form: forms.BaseForm, step_up: StepUp) -> None:
    """Ask for the admin's own code unless they gave one a moment ago (see step_up.py)."""
    if step_up.fresh:
        return
    code = "".join(form.cleaned_data.get("code", "").split()).replace("-", "").lower()
    if not code:
        form.add_error("code", STEP_UP_MISSING)
    elif not form.errors and not step_up.confirm(code):
        # Checked only once the rest is valid, so a typo elsewhere does not use up the code.
        form.add_error("code", STEP_UP_WRONG)


class StepUpForm(forms.Form):
    """A confirmation that changes another person's account: the admin's own code."""

    def __init__(self, *args: Any, step_up: StepUp, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step_up = step_up
        self.fields["code"] = code_field(step_up)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_step_up(self, self.step_up)
        return data


class UserForm(forms.ModelForm):
    """Adding or editing a staff account, within what the manager may grant.

    Editing asks for the manager's own code when the e-mail address or the role changes.
    """

    class Meta:
        model = User
        fields = [
            "username", "first_name", "last_name", "email", "mobile_phone", "role", "locations",
        ]  # fmt: skip
        widgets = {"locations": forms.CheckboxSelectMultiple}
        help_texts = {"username": "Letters, digits and . _ - only; used to sign in."}

    def __init__(
        self, *args: Any, manager: User, step_up: StepUp | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.manager = manager
        self.step_up = step_up
        self.fields["email"].required = True
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        granted = roles_granted_by(manager)
        self.fields["role"].choices = [(v, label) for v, label in Role.choices if v in granted]
        # A clinic admin manages staff only at the locations they run; the locations
        # they cannot see are kept as they are (the action adds them back).
        self.fields["locations"].queryset = manager.locations.all()
        self.fields["locations"].required = not self.hidden_locations
        if self.instance.pk and step_up is not None:
            self.fields["code"] = code_field(step_up)

    def clean_mobile_phone(self) -> str:
        """Kept as E.164 (+16175550142), read as a US number unless it starts with +."""
        value = (self.cleaned_data.get("mobile_phone") or "").strip()
        if not value:
            return ""
        try:
            number = phonenumbers.parse(value, "US")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(
                "Please enter a mobile number we can text, such as (617) 555-0142."
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    @property
    def hidden_locations(self) -> bool:
        if not self.instance.pk:
            return False
        return bool(self.instance.location_ids - self.manager.location_ids)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        before = self.instance  # not yet changed: the form fills it in after clean()
        role = data.get("role", before.role)
        if before.pk and before.pk == self.manager.pk:
            chosen = {location.pk for location in data.get("locations", [])}
            if role != before.role or chosen != before.location_ids:
                raise forms.ValidationError(OWN_ACCOUNT)
        email = (data.get("email") or "").lower()
        sensitive = email != before.email.lower() or role != before.role
        if before.pk and self.step_up is not None and sensitive:
            check_step_up(self, self.step_up)
        return data

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        clash = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Another account already uses this e-mail address.")
        return email
