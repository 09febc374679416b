"""The end of the screening: what the answers point to, in plain words, and who to call."""

from typing import Any

import phonenumbers
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dendrite.instruments.scoring import SUICIDE_RISK_HIGH

from ..models import ScreeningSession
from .current import current_screening, where_to


@never_cache
@require_GET
def result(request: HttpRequest) -> HttpResponse:
    screening = current_screening(request)
    if screening is None:
        return redirect("screening:start")
    if not screening.finished:
        return redirect(where_to(screening))
    return render(request, "screening/result.html", result_context(screening))


def result_context(screening: ScreeningSession) -> dict[str, Any]:
    location = screening.lead.location
    return {
        "screening": screening,
        "outcome": screening.outcome,
        "reasons": [r for r in screening.fired if r["outcome"] == screening.outcome],
        "also": [r for r in screening.fired if r["outcome"] != screening.outcome],
        "location": location,
        "phone_href": tel_href(location.phone),
        "flagged": screening.flagged,
        "high_risk": any(SUICIDE_RISK_HIGH in flags for flags in screening.flags.values()),
        "days": settings.SCREENING_RESUME_DAYS,
    }


def tel_href(phone: str) -> str:
    try:
        number = phonenumbers.parse(phone, "US")
    except phonenumbers.NumberParseException:
        return ""
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@never_cache
@require_GET
def adults_only(request: HttpRequest) -> HttpResponse:
    """Under 18: the clinic treats adults. Nothing the person typed was kept."""
    return render(request, "screening/adults_only.html")
