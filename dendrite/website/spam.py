"""The inquiry form's defences against robots and floods, with no outside service.

- a honeypot field people never see or reach, which robots fill in;
- a signed token carrying the moment the form was shown: a reply faster than a
  person can type, a token that was tampered with, or one older than a week is
  refused (and a token can be used once only, see website.models.SentForm);
- per-address limits on inquiries: a short burst limit, so a flood stops at once, and
  a daily cap high enough for a clinic, hospital or phone carrier whose many people
  share one address (counted in the cache every app process shares);
- a cap on the size of the request body.

Every limit is a setting (its default in dendrite/settings.py), read on each request.
"""

import enum

from django.conf import settings
from django.http import HttpRequest

from dendrite import form_defences
from dendrite.form_defences import HONEYPOT_FIELD, TOKEN_FIELD, client_address, honeypot_filled
from dendrite.ratelimit import Window

__all__ = ["HONEYPOT_FIELD", "TOKEN_FIELD", "client_address", "honeypot_filled"]

SALT = "dendrite.website.inquiry"
DAY_SECONDS = 24 * 60 * 60


class Refusal(enum.StrEnum):
    TOO_LARGE = "too-large"
    TOO_MANY = "too-many"  # the burst limit: try again in a few minutes
    TOO_MANY_TODAY = "too-many-today"  # the daily cap
    BROKEN = "broken"  # no token, or one we did not sign
    EXPIRED = "expired"
    TOO_FAST = "too-fast"
    ALREADY_SENT = "already-sent"

    @property
    def status(self) -> int:
        return 429 if self in (Refusal.TOO_MANY, Refusal.TOO_MANY_TODAY) else 400

    @property
    def retry_after(self) -> int | None:
        """Seconds until a limited address may send again."""
        if self is Refusal.TOO_MANY:
            return burst().retry_after()
        if self is Refusal.TOO_MANY_TODAY:
            return daily().retry_after()
        return None


def keeps_input(refusal: Refusal) -> bool:
    """A refusal of the timer: the form comes back with what was typed (form_defences)."""
    return refusal.value in {problem.value for problem in form_defences.TIMER}


def burst() -> Window:
    minutes = settings.INQUIRY_BURST_MINUTES
    return Window("inquiry-burst", settings.INQUIRY_BURST_LIMIT, minutes * 60)


def daily() -> Window:
    return Window("inquiry-day", settings.INQUIRY_DAILY_LIMIT, DAY_SECONDS)


def new_token() -> str:
    """A signed note of when the form was shown, unique to this showing."""
    return form_defences.new_token(SALT)


def check_token(token: str) -> Refusal | None:
    problem = form_defences.check_token(
        token,
        SALT,
        min_seconds=settings.INQUIRY_MIN_FILL_SECONDS,
        max_age=settings.INQUIRY_TOKEN_MAX_AGE_SECONDS,
    )
    return Refusal(problem.value) if problem else None


def screen(request: HttpRequest) -> Refusal | None:
    """Why a submission must be refused before its content is even looked at, if at all."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > settings.INQUIRY_MAX_BODY_BYTES:
        return Refusal.TOO_LARGE
    address = client_address(request)
    if daily().is_full(address):
        return Refusal.TOO_MANY_TODAY
    if burst().is_full(address):
        return Refusal.TOO_MANY
    return check_token(request.POST.get(TOKEN_FIELD, ""))


def count_submission(request: HttpRequest) -> None:
    """Count one inquiry (or caught robot) against the sender's address."""
    address = client_address(request)
    burst().hit(address)
    daily().hit(address)
