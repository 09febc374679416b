import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from dendrite.audit.log import record

SESSION_KEY = "last_activity"


class IdleTimeoutMiddleware:
    """Sign staff out after a spell without activity — HIPAA §164.312(a)(2)(iii).

    The limit is DENDRITE_IDLE_TIMEOUT_SECONDS (default 15 minutes), read on every
    request so a clinic can change it without code.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            last = request.session.get(SESSION_KEY)
            if last is not None and now - last > settings.IDLE_TIMEOUT_SECONDS:
                record("auth.idle_logout", user=user, obj=user)
                logout(request)
                minutes = max(1, round(settings.IDLE_TIMEOUT_SECONDS / 60))
                messages.info(
                    request,
                    f"You were signed out after {minutes} minutes without activity, to keep "
                    "patient information safe. Please sign in again.",
                )
                return redirect(settings.LOGIN_URL)
            request.session[SESSION_KEY] = now
        return self.get_response(request)
