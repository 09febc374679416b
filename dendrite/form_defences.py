"""Defences a public form shares, with no outside service (the inquiry form in
website/spam.py and the self-screening's first page in screening/defences.py):

- a honeypot field people never see or reach, which robots fill in;
- a signed token carrying the moment the form was shown: a reply faster than a person
  can read, a token that was tampered with, or one older than the allowed age is refused.
  A reply the timer refuses (too fast, or too old) may still be a person's: the form comes
  back with everything they typed, a fresh token and PRESS_AGAIN, never an empty form.

Ground level: it knows no app. Each form keeps its own salt, so one form's token never
passes for another's.
"""

import enum
import secrets
import time

from django.core import signing
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from dendrite.ratelimit import client_ip

HONEYPOT_FIELD = "website"
TOKEN_FIELD = "token"


class Problem(enum.StrEnum):
    BROKEN = "broken"  # no token, or one we did not sign
    EXPIRED = "expired"
    TOO_FAST = "too-fast"


# The refusals of the timer: what was typed is kept, and the person just sends it again.
TIMER = frozenset({Problem.TOO_FAST, Problem.EXPIRED})
PRESS_AGAIN = _(
    "Nothing has been sent yet. To keep out automated messages we ask for a moment's "
    "pause before sending. Everything you wrote is still here: please check it and "
    "press the button again."
)


def with_fresh_token(data: QueryDict, token: str) -> QueryDict:
    """What was posted, with a new signed moment: the form as it comes back to the person."""
    fresh = data.copy()
    fresh[TOKEN_FIELD] = token
    return fresh


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
