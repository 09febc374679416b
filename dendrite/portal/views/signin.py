"""Signing in to the portal: the invitation link, a one-time code, signing out.

Nobody is signed in here, so the session carries what stands between steps (the
invitation's id, the code's id), never a token or a code. An address that matches no
account is answered exactly like one that does ("we sent a code if…"), and its code
page refuses every code: nothing tells a stranger who is a patient."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dendrite.clinics.models import Location
from dendrite.ratelimit import Window, client_ip

from .. import access, actions, auth, devices
from ..forms import AddressForm, CodeForm
from ..models import PortalAccount, PortalSession

INVITATION = "portal.invitation"
CODE = "portal.code"
NOBODY = -1  # the code page of an address that matched no account


def _codes_per_address() -> Window:
    return Window("portal-code-address", settings.PORTAL_CODES_PER_ADDRESS, 3600)


def _attempts_per_client() -> Window:
    return Window("portal-client", settings.PORTAL_ATTEMPTS_PER_CLIENT, 3600)


def _client_allowed(request: HttpRequest) -> bool:
    return _attempts_per_client().allow(client_ip(request) or "unknown")


def _slow_down(request: HttpRequest, form: object, template: str) -> HttpResponse:
    minutes = max(1, round(_attempts_per_client().retry_after() / 60))
    error = _("Too many tries from this device. Please wait %(minutes)d minutes and try again.")
    context = {"form": form, "refusal": error % {"minutes": minutes}}
    return render(request, template, context, status=429)


def link_problem(request: HttpRequest) -> HttpResponse:
    context = {"locations": Location.objects.active()}
    return render(request, "portal/link_problem.html", context, status=404)


@require_GET
def welcome_link(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation's link: exchanged for its id in the session, then away from the bar."""
    max_age = dt.timedelta(days=settings.PORTAL_INVITATION_DAYS)
    invitation = access.invitation_for_token(token, max_age)
    if invitation is None:
        return link_problem(request)
    request.session.cycle_key()
    request.session[INVITATION] = invitation.pk
    actions.mark_invitation_opened(invitation)
    return auth.use_patient_language(
        request, redirect("portal:welcome"), invitation.account.patient
    )


@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest) -> HttpResponse:
    invitation = access.invitation_by_id(request.session.get(INVITATION))
    if invitation is None:
        return link_problem(request)
    account = invitation.account
    if request.method == "POST":
        if account.is_locked():
            context = {"channels": devices.masked(account.patient), "refusal": _refusal("locked")}
            return render(request, "portal/welcome.html", context, status=429)
        if not _client_allowed(request):
            return _slow_down(request, None, "portal/welcome.html")
        row = actions.send_code(account, invitation=invitation)
        request.session[CODE] = row.pk
        return redirect("portal:code")
    context = {"channels": devices.masked(account.patient)}
    return render(request, "portal/welcome.html", context)


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if auth.current(request) is not None:
        return redirect("portal:home")
    form = AddressForm(request.POST or None)
    if form.is_valid():
        if not _client_allowed(request):
            return _slow_down(request, form, "portal/sign_in.html")
        address = form.cleaned_data["address"].strip().lower()
        account = access.account_for_address(address)
        request.session[CODE] = NOBODY
        if account is not None and not account.is_locked() and _codes_per_address().allow(address):
            request.session[CODE] = actions.send_code(account).pk
        return redirect("portal:code")
    return render(
        request, "portal/sign_in.html", {"form": form}, status=400 if form.errors else 200
    )


def _refusal(reason: str) -> str:
    if reason == "locked":
        return _(
            "There have been too many wrong codes, so signing in is paused for %(minutes)d "
            "minutes to keep your account safe. You can also call the clinic."
        ) % {"minutes": settings.PORTAL_LOCKOUT_MINUTES}
    if reason == "expired":
        return _("This code has expired or has been used. Please ask for a new one.")
    return _("That code is not right. Please check it, or ask for a new one.")


@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    held = request.session.get(CODE)
    if held is None:
        return redirect("portal:sign_in")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if not _client_allowed(request):
            return _slow_down(request, form, "portal/code.html")
        row = access.code_by_id(held)
        try:
            if row is None:
                raise actions.CodeRefused("wrong")
            account = actions.check_code(row, form.cleaned_data["code"])
        except actions.CodeRefused as refused:
            form.add_error("code", _refusal(refused.reason))
        else:
            return _signed_in(request, account, PortalSession.How.CODE)
    status = 400 if form.errors else 200
    return render(request, "portal/code.html", {"form": form}, status=status)


def _signed_in(request: HttpRequest, account: PortalAccount, how: str) -> HttpResponse:
    session, secret = actions.start_session(account, how=how, device=devices.label(request))
    auth.remember(request, session, secret)
    return auth.use_patient_language(request, redirect("portal:home"), account.patient)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    portal = auth.current(request)
    if portal is not None:
        actions.end_session(portal.session)
    auth.forget(request)
    messages.success(request, _("You are signed out."))
    return redirect("portal:sign_in")
