"""Signed links for patients: confirm an appointment, or cancel it with a reason.

The token names only the appointment id (no patient data in the URL), is signed with
the site's secret and a salt per purpose (a confirm link cannot cancel), and expires.
"""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Appointment

CONFIRM, CANCEL = "confirm", "cancel"
VIEW_FOR = {CONFIRM: "scheduling:public_confirm", CANCEL: "scheduling:public_cancel"}
# Long enough for the last infusion of a series booked weeks ahead; a link to an
# appointment that has passed is refused by the page anyway.
MAX_AGE = dt.timedelta(days=90)


class BadLink(Exception):
    """The link was changed, is for another purpose, or is too old."""


def _salt(purpose: str) -> str:
    return f"dendrite.scheduling.links.{purpose}"


def make_token(appointment: Appointment, purpose: str) -> str:
    return signing.dumps(appointment.pk, salt=_salt(purpose), compress=False)


def appointment_id(token: str, purpose: str) -> int:
    try:
        value = signing.loads(token, salt=_salt(purpose), max_age=MAX_AGE)
    except signing.BadSignature as bad:  # SignatureExpired is a BadSignature too
        raise BadLink from bad
    if not isinstance(value, int):
        raise BadLink
    return value


def url(appointment: Appointment, purpose: str) -> str:
    """The full address for a message (sent by a worker, so no request to build on)."""
    path = reverse(VIEW_FOR[purpose], args=[make_token(appointment, purpose)])
    return settings.SITE_URL + path
