"""Guards for staff views: signed in, second factor verified, and the right role."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from dendrite.audit.log import record
from dendrite.audit.models import AuditEvent

View = Callable[..., HttpResponse]


def _to(name: str, request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


def check_role(user: Any, roles: Iterable[str], *, where: str) -> None:
    """Refuse (403, audited as a denied access to `where`) a user outside `roles`."""
    if user.role not in roles:
        record(
            "access.denied",
            user=user,
            object_type="view",
            object_id=where,
            outcome=AuditEvent.Outcome.DENIED,
        )
        raise PermissionDenied


def staff_required(roles: Iterable[str] | None = None) -> Callable[[View], View]:
    """Require a verified (password + TOTP) staff user, optionally in one of `roles`."""
    allowed = frozenset(roles) if roles is not None else None

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return _to("accounts:login", request)
            if not user.is_verified():
                return _to("accounts:mfa", request)
            if allowed is not None:
                check_role(user, allowed, where=view.__module__ + "." + view.__name__)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
