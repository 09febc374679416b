"""Receiving an inquiry from the public form: stored, staff told, the person answered."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language, gettext

from dendrite.clinics.models import Location
from dendrite.leads.actions import create_lead
from dendrite.leads.models import Lead, Source
from dendrite.mail import send_later

from .models import SentForm


class AlreadySent(Exception):
    """This very form (the same signed token) was stored before."""


def first_response_business_days(location: Location | None = None) -> int:
    """The promise of a first reply, in business days: the location's own target
    (set per location in the back office), or before a location is chosen the
    longest of them, so the promise holds wherever the person writes to."""
    if location is not None:
        return location.first_response_business_days
    longest = Location.objects.active().aggregate(days=Max("first_response_business_days"))
    return longest["days"] or 1


@transaction.atomic
def receive_inquiry(*, token: str, browser: Lead | None = None, **fields: Any) -> Lead:
    """Store the inquiry and queue both e-mails — to staff and to the person — all or nothing.

    Raises AlreadySent when this form's token was used before, so a resent form
    never makes a second lead. A person who already has a lead (the same e-mail or phone,
    or `browser`: the lead of the self-screening done in the same browser) gets this
    message filed with it (leads/matching.py).
    """
    keep_for = dt.timedelta(seconds=settings.INQUIRY_TOKEN_MAX_AGE_SECONDS)
    if not SentForm.objects.claim(token, keep_for=keep_for):
        raise AlreadySent
    lead = create_lead(
        source=Source.INQUIRY, language=get_language() or "en", browser=browser, **fields
    )
    if lead.email:
        acknowledge(lead)
    return lead


def acknowledge(lead: Lead) -> None:
    """Tell the person we have their message, what happens next and by when.

    Written in the language they used the site in; nothing they wrote is repeated,
    and the subject carries no personal data.
    """
    context = {
        "location": lead.location,
        "days": first_response_business_days(lead.location),
        "site_name": settings.DENDRITE_SITE_NAME,
    }
    with translation.override(lead.language):  # the language of the page they wrote from
        body = render_to_string("website/email/acknowledgement.txt", context)
        send_later(gettext("We received your message"), body, [lead.email])
