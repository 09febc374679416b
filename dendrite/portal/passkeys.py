"""Passkeys (WebAuthn) through py_webauthn (Duo's library): options out, responses
verified. Nothing cryptographic is ours: the library checks the challenge, the origin,
the relying party, the signature and the counter.

The challenge of a ceremony waits in the browser's session (one at a time, used once).
The relying party is settings.PORTAL_PASSKEY_RP_ID, or the host the page is served on
(ALLOWED_HOSTS vouches for it); the origin is that page's own. A passkey made for
another site carries another relying party and origin, and is refused."""

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from .models import Passkey, PortalAccount

CHALLENGE = "portal.passkey_challenge"


class Refused(Exception):
    """The browser's answer does not hold (another site, an old challenge, a bad signature)."""


def rp_id(request: HttpRequest) -> str:
    return settings.PORTAL_PASSKEY_RP_ID or request.get_host().rsplit(":", 1)[0]


def origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _keep(request: HttpRequest, kind: str, challenge: bytes) -> None:
    request.session[CHALLENGE] = {"kind": kind, "value": bytes_to_base64url(challenge)}


def _take(request: HttpRequest, kind: str) -> bytes:
    held = request.session.pop(CHALLENGE, None)
    if not isinstance(held, dict) or held.get("kind") != kind:
        raise Refused
    return base64url_to_bytes(str(held["value"]))


def registration_options(request: HttpRequest, account: PortalAccount) -> str:
    options = generate_registration_options(
        rp_id=rp_id(request),
        rp_name=settings.DENDRITE_SITE_NAME,
        user_id=f"portal-account-{account.pk}".encode(),
        user_name=f"{settings.DENDRITE_SITE_NAME} patient portal",
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id))
            for p in account.passkeys.all()
        ],
    )
    _keep(request, "register", options.challenge)
    return options_to_json(options)


def verify_registration(request: HttpRequest, body: bytes) -> tuple[str, bytes, int]:
    """(credential id, public key, sign count) of a new passkey, or Refused."""
    challenge = _take(request, "register")
    try:
        verified = verify_registration_response(
            credential=_json(body),
            expected_challenge=challenge,
            expected_rp_id=rp_id(request),
            expected_origin=origin(request),
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as bad:
        raise Refused from bad
    credential_id = bytes_to_base64url(verified.credential_id)
    return credential_id, verified.credential_public_key, verified.sign_count


def authentication_options(request: HttpRequest) -> str:
    """Discoverable passkeys: the browser offers the patient's own, no address asked."""
    options = generate_authentication_options(
        rp_id=rp_id(request), user_verification=UserVerificationRequirement.REQUIRED
    )
    _keep(request, "authenticate", options.challenge)
    return options_to_json(options)


def credential_id_of(body: bytes) -> str:
    credential = _json(body)
    raw_id = credential.get("rawId") or credential.get("id")
    if not isinstance(raw_id, str) or not raw_id:
        raise Refused
    return raw_id


def verify_authentication(request: HttpRequest, body: bytes, passkey: Passkey) -> int:
    """The new sign count if the assertion holds; Refused otherwise."""
    challenge = _take(request, "authenticate")
    try:
        verified = verify_authentication_response(
            credential=_json(body),
            expected_challenge=challenge,
            expected_rp_id=rp_id(request),
            expected_origin=origin(request),
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as bad:
        raise Refused from bad
    return int(verified.new_sign_count)


def _json(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError) as bad:
        raise Refused from bad
    if not isinstance(value, dict):
        raise Refused
    return value
