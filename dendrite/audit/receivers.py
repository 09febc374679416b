"""Authentication events, audited from day one (login, logout, failures, lockouts)."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .log import record
from .models import AuditEvent


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record("auth.login", user=user, obj=user)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record("auth.logout", user=user, obj=user)


@receiver(user_login_failed)
def audit_login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # The password is never recorded; the username is, to spot guessing.
    record(
        "auth.login_failed",
        username=str(credentials.get("username", "")),
        outcome=AuditEvent.Outcome.FAILURE,
    )


@receiver(user_locked_out)
def audit_lockout(sender: Any, request: Any, username: str, **kwargs: Any) -> None:
    record("auth.locked_out", username=username or "", outcome=AuditEvent.Outcome.DENIED)
