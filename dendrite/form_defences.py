"""Defences a public form shares, with no outside service (the inquiry form in
website/spam.py and the self-screening's first page in screening/defences.py):

- a honeypot field people never see or reach, which robots fill in;
- a signed token carrying the moment the form was shown: a reply faster than a person
  can read, a token that was tampered with, or one older than the allowed age is refused.

Ground level: it knows no app. Each form keeps its own salt, so one form's token never
passes for another's.
"""

import enum
import secrets
import time

from django.core import signing
from django.http import HttpRequest

from dendrite.ratelimit import client_ip

HONEYPOT_FIELD = "website"
TOKEN_FIELD = "token"


class Problem(enum.StrEnum):
    BROKEN = "broken"  # no token, or one we did not sign
    EXPIRED = "expired"
    TOO_FAST = "too-fast"


def new_token(salt: str, shown_at: float | None = None) -> str:
    """A signed note of when the form was shown, unique to this showing."""
    moment = time.time() if shown_at is None else shown_at
    return signing.dumps({"t": moment, "n": secrets.token_urlsafe(9)}, salt=salt)


def check_token(token: str, salt: str, *, min_seconds: int, max_age: int) -> Problem | None:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        return Problem.EXPIRED
    except signing.BadSignature:
        return Problem.BROKEN
    shown_at = data.get("t") if isinstance(data, dict) else None
    if not isinstance(shown_at, int | float):
        return Problem.BROKEN
    if time.time() - shown_at < min_seconds:
        return Problem.TOO_FAST
    return None


def honeypot_filled(request: HttpRequest) -> bool:
    return bool(request.POST.get(HONEYPOT_FIELD, "").strip())


def client_address(request: HttpRequest) -> str:
    """The sender's address, as the audit trail sees it (DENDRITE_PROXY_COUNT applies)."""
    return client_ip(request) or "unknown"
