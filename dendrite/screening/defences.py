"""The self-screening's defences against floods, borrowed from the inquiry form
(website/spam.py; the shared parts in dendrite/form_defences.py): a honeypot, a signed
note of when the first page was shown (a reply faster than a person can read it is
refused), and per-address limits - a short burst and a daily cap - on STARTING a
screening.

They sit only where a screening starts. Nothing here ever stands between a person and
a safety answer: a screening already under way is never limited or refused, and every
refusal page shows the crisis lines and the clinic's phone (CLINICAL.md §6 rule 4).
"""

import enum

from django.conf import settings
from django.http import HttpRequest

from dendrite import form_defences
from dendrite.form_defences import TOKEN_FIELD, client_address
from dendrite.ratelimit import Window

SALT = "dendrite.screening.start"
DAY_SECONDS = 24 * 60 * 60


class Refusal(enum.StrEnum):
    TOO_MANY = "too-many"  # the burst limit
    TOO_MANY_TODAY = "too-many-today"  # the daily cap
    BROKEN = "broken"
    EXPIRED = "expired"
    TOO_FAST = "too-fast"

    @property
    def status(self) -> int:
        return 429 if self in (Refusal.TOO_MANY, Refusal.TOO_MANY_TODAY) else 400


def burst() -> Window:
    minutes = settings.SCREENING_BURST_MINUTES
    return Window("screening-burst", settings.SCREENING_BURST_LIMIT, minutes * 60)


def daily() -> Window:
    return Window("screening-day", settings.SCREENING_DAILY_LIMIT, DAY_SECONDS)


def keeps_input(refusal: Refusal) -> bool:
    """A refusal of the timer: the page comes back with what was typed (form_defences)."""
    return refusal.value in {problem.value for problem in form_defences.TIMER}


def new_token(shown_at: float | None = None) -> str:
    return form_defences.new_token(SALT, shown_at)


def screen_start(request: HttpRequest) -> Refusal | None:
    """Why a new screening must not start, if at all."""
    address = client_address(request)
    if daily().is_full(address):
        return Refusal.TOO_MANY_TODAY
    if burst().is_full(address):
        return Refusal.TOO_MANY
    problem = form_defences.check_token(
        request.POST.get(TOKEN_FIELD, ""),
        SALT,
        min_seconds=settings.SCREENING_MIN_FILL_SECONDS,
        max_age=settings.INQUIRY_TOKEN_MAX_AGE_SECONDS,
    )
    return Refusal(problem.value) if problem else None


def honeypot_filled(request: HttpRequest) -> bool:
    return form_defences.honeypot_filled(request)


def count_start(request: HttpRequest) -> None:
    address = client_address(request)
    burst().hit(address)
    daily().hit(address)


def retry_after(refusal: Refusal) -> int | None:
    if refusal is Refusal.TOO_MANY:
        return burst().retry_after()
    if refusal is Refusal.TOO_MANY_TODAY:
        return daily().retry_after()
    return None
