"""Receiving an inquiry from the public form: stored, staff told, the person answered."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext

from dendrite.leads.actions import create_lead
from dendrite.leads.models import Lead, Source
from dendrite.mail import send_later

from .models import SentForm
from .spam import setting


class AlreadySent(Exception):
    """This very form (the same signed token) was stored before."""


def first_response_business_days() -> int:
    """The clinic's promise of a first reply, in business days (clinic-configurable)."""
    return getattr(settings, "FIRST_RESPONSE_BUSINESS_DAYS", 1)


@transaction.atomic
def receive_inquiry(*, token: str, **fields: Any) -> Lead:
    """Store the inquiry and queue both e-mails — to staff and to the person — all or nothing.

    Raises AlreadySent when this form's token was used before, so a resent form
    never makes a second lead.
    """
    keep_for = dt.timedelta(seconds=setting("INQUIRY_TOKEN_MAX_AGE_SECONDS"))
    if not SentForm.objects.claim(token, keep_for=keep_for):
        raise AlreadySent
    lead = create_lead(source=Source.INQUIRY, language=get_language() or "en", **fields)
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
        "days": first_response_business_days(),
        "site_name": settings.DENDRITE_SITE_NAME,
    }
    body = render_to_string("website/email/acknowledgement.txt", context)
    send_later(gettext("We received your message"), body, [lead.email])
