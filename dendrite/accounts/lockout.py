"""Sign-in lockout (django-axes), shaped so that nobody can lock the staff out.

- A username is locked at one client address after DENDRITE_LOGIN_FAILURE_LIMIT
  failures (axes' lockout on the combination of username and address): a stranger's
  wrong passwords lock the stranger's address, never a colleague's sign-in from the
  clinic or from home.
- An address is locked for every username after DENDRITE_LOGIN_ADDRESS_FAILURE_LIMIT
  failures, whichever usernames they were for, so guessing across the staff list stops.
- Both last DENDRITE_LOCKOUT_HOURS. The ways back: a password reset (which unlocks the
  account everywhere and the address it was completed from), a clinic admin's Unlock on
  the staff-accounts page, and `manage.py unlock_user` on the server.

The client's address is dendrite.ratelimit.client_ip (AXES_CLIENT_IP_CALLABLE), which
trusts X-Forwarded-For only as far as DENDRITE_PROXY_COUNT.
"""

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

from dendrite.ratelimit import client_ip


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, plus the per-address limit across usernames."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures < limit and address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return limit  # the address is locked, so this username is too, here
        return failures


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's address within the lockout period, any username."""
    attempts = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        attempt_time__gte=get_cool_off_threshold(request),
    )
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def unlock(*, username: str = "", address: str = "") -> int:
    """Forget the failures of a username (at every address) and of an address (every
    username); return how many records went."""
    count = 0
    if username:
        count += axes_reset(username=username)
    if address:
        count += axes_reset(ip=address)
    return count


def unlock_after_password_reset(request: HttpRequest, username: str) -> int:
    """Whoever completed a reset proved they own the account's mailbox: the account is
    unlocked everywhere, and so is the address they did it from."""
    return unlock(username=username, address=client_ip(request) or "")
