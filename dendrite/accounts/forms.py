from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.http import HttpRequest

from dendrite.audit.log import record
from dendrite.audit.models import AuditEvent
from dendrite.mail import send_later
from dendrite.ratelimit import Window, client_ip

from .models import Role, User


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


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "locations", "is_on_call"]
        widgets = {"locations": forms.CheckboxSelectMultiple}
        help_texts = {"username": "Letters, digits and . _ - only; used to sign in."}

    def __init__(self, *args: Any, manager: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["role"].choices = Role.choices
        # A clinic admin manages staff only at the locations they run.
        self.fields["locations"].queryset = manager.locations.all()
        self.fields["locations"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("is_on_call") and data.get("role") != Role.PRESCRIBER:
            self.add_error("is_on_call", "Only prescribers can be on call for safety alerts.")
        return data

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        clash = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Another account already uses this e-mail address.")
        return email
