"""Passkeys: register one while signed in, sign in with one, remove one.

The ceremonies are JSON between the page's small script (static/portal/passkeys.js) and
these views; passkeys.py (py_webauthn) checks every answer. The pages work without the
script: a patient then signs in with a code."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, actions, auth, devices, passkeys
from ..forms import PasskeyNameForm
from ..models import PortalSession
from .signin import _client_allowed


def _json(data: str) -> HttpResponse:
    return HttpResponse(data, content_type="application/json")


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"ok": False, "message": message}, status=status)


@require_POST
@auth.patient_required
def register_options(request: HttpRequest) -> HttpResponse:
    return _json(passkeys.registration_options(request, auth.portal_of(request).account))


@require_POST
@auth.patient_required
def register(request: HttpRequest) -> HttpResponse:
    portal = auth.portal_of(request)
    try:
        credential_id, public_key, sign_count = passkeys.verify_registration(request, request.body)
    except passkeys.Refused:
        return _refused(_("This passkey could not be saved. Please try again."))
    name = PasskeyNameForm(request.GET).data.get("name") or devices.label(request)
    actions.add_passkey(portal.account, credential_id=credential_id, public_key=public_key,
                        sign_count=sign_count, name=name or _("Passkey"))  # fmt: skip
    return JsonResponse({"ok": True, "next": reverse("portal:security")})


@require_POST
def sign_in_options(request: HttpRequest) -> HttpResponse:
    if not _client_allowed(request):
        return _refused(_("Too many tries from this device. Please wait and try again."), 429)
    return _json(passkeys.authentication_options(request))


@require_POST
def sign_in(request: HttpRequest) -> HttpResponse:
    refusal = _("This passkey did not work here. Please sign in with a code instead.")
    try:
        passkey = access.passkey_by_credential(passkeys.credential_id_of(request.body))
        if passkey is None:
            raise passkeys.Refused
        sign_count = passkeys.verify_authentication(request, request.body, passkey)
    except passkeys.Refused:
        return _refused(refusal)
    actions.passkey_used(passkey, sign_count)
    account = passkey.account
    session, secret = actions.start_session(
        account, how=PortalSession.How.PASSKEY, device=devices.label(request)
    )
    auth.remember(request, session, secret)
    response = JsonResponse({"ok": True, "next": reverse("portal:home")})
    return auth.use_patient_language(request, response, account.patient)


@require_POST
@auth.patient_required
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    passkey = access.get_passkey(auth.portal_of(request), pk)
    actions.remove_passkey(passkey)
    return redirect("portal:security")
