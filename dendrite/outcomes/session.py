"""Which questionnaire request this browser is answering, kept in its session.

A patient's link is exchanged for the request's id in the session on first open, so the
token leaves the address bar (and never reaches a Referer). The check-in tablet parks the
staff session instead: `dendrite.middleware.ParkedSessionMiddleware` keeps a parked
session on the questionnaire pages until a staff member unlocks it."""

from typing import Any

from django.http import HttpRequest

from dendrite.middleware import PARKED

from .models import QuestionnaireRequest

CURRENT = "outcomes.request"
# Where the "done" page leads back to, when the questionnaire was opened from another
# page of the site (the patient portal); a local path only.
BACK = "outcomes.back"


def remember(request: HttpRequest, questionnaire: QuestionnaireRequest, back: str = "") -> None:
    request.session[CURRENT] = questionnaire.pk
    if back.startswith("/") and not back.startswith("//"):
        request.session[BACK] = back
    else:
        request.session.pop(BACK, None)


def back_to(request: HttpRequest) -> str:
    back = request.session.get(BACK, "")
    return back if isinstance(back, str) else ""


def parked(request: HttpRequest) -> dict[str, Any] | None:
    value = request.session.get(PARKED)
    return value if isinstance(value, dict) else None


def park(request: HttpRequest, questionnaire: QuestionnaireRequest, back: str) -> None:
    request.session[PARKED] = {
        "user": request.user.pk,
        "request": questionnaire.pk,
        "back": back,
        "locked": False,
        "tries": 0,
    }


def current(request: HttpRequest) -> tuple[QuestionnaireRequest | None, bool]:
    """(the request being answered, whether on the check-in tablet)."""
    tablet = parked(request)
    pk = tablet["request"] if tablet else request.session.get(CURRENT)
    if pk is None:
        return None, bool(tablet)
    found = QuestionnaireRequest.objects.select_related("location", "patient").filter(pk=pk)
    return found.first(), bool(tablet)
