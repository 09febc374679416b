"""Who is signed in to the portal: a PortalSession, never a staff user.

The browser's Django session holds the portal session's id and secret under one key of
its own (KEY). django.contrib.auth is never told: request.user stays anonymous, so no
staff view opens for a patient, and a staff sign-in never reaches a portal page (a
staff session has no KEY). Every portal page is wrapped in `patient_required`, which
checks the secret's hash, ends an idle session, and hands the view `request.portal`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from dendrite.patients.models import Patient

from .models import PortalAccount, PortalSession
from .secrets import hash_session_secret

KEY = "portal.session"
View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class Portal:
    """The signed-in patient, as a view sees them."""

    session: PortalSession
    account: PortalAccount
    patient: Patient


def remember(request: HttpRequest, session: PortalSession, secret: str) -> None:
    """Start afresh (any staff sign-in in this browser ends) and keep the portal session."""
    request.session.flush()
    request.session[KEY] = {"id": session.pk, "secret": secret}


def patient_language(patient: Patient) -> str | None:
    """The language the patient asked for (their preferred language, else the one they
    screened in); None when nothing says, so the browser's language stands."""
    language = patient.message_language()
    if patient.preferred_language or language != settings.LANGUAGE_CODE:
        return language
    return None


def use_patient_language(
    request: HttpRequest, response: HttpResponse, patient: Patient
) -> HttpResponse:
    """The portal in the patient's language from now on in this browser, unless they chose
    one with the language switch (its cookie is there): the same cookie as Django's
    set_language, so the switch still changes it."""
    language = patient_language(patient)
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES or language is None:
        return response
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax"
    )
    return response


def forget(request: HttpRequest) -> None:
    request.session.flush()


def idle(session: PortalSession) -> bool:
    seconds = (timezone.now() - session.last_seen_at).total_seconds()
    return seconds > settings.PORTAL_IDLE_TIMEOUT_SECONDS


def current(request: HttpRequest) -> Portal | None:
    """The live portal session of this browser, or None (and an idle one is ended)."""
    held = request.session.get(KEY)
    if not isinstance(held, dict) or not isinstance(held.get("id"), int):
        return None
    session = (
        PortalSession.objects.live()
        .select_related("account__patient__location")
        .filter(pk=held["id"])
        .first()
    )
    if session is None or not constant_time_compare(
        session.secret_hash, hash_session_secret(str(held.get("secret", "")))
    ):
        return None
    now = timezone.now()
    if idle(session):
        PortalSession.objects.filter(pk=session.pk).update(ended_at=now)
        return None
    PortalSession.objects.filter(pk=session.pk).update(last_seen_at=now)
    return Portal(session=session, account=session.account, patient=session.account.patient)


def patient_required(view: View) -> View:
    """A portal page: a signed-in patient, or the sign-in page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        portal = current(request)
        if portal is None:
            if KEY in request.session:
                forget(request)
                messages.info(request, _("You were signed out. Please sign in again."))
            return redirect("portal:sign_in")
        request.portal = portal  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped


def portal_of(request: HttpRequest) -> Portal:
    portal: Portal = request.portal  # type: ignore[attr-defined]
    return portal
