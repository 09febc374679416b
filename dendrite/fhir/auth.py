"""SMART Backend Services (CLINICAL.md §12.3): the token endpoint's checks, and who is
reading a request (a bearer token's client, or a staff member's session).

The client assertion is verified with joserfc (RS384 or ES384 only, with the keys the
clinic registered); its claims must name the client (iss = sub = client_id), the token
URL (aud), a jti not seen before, and an exp at most five minutes ahead."""

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from django.http import HttpRequest
from django.utils import timezone
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from dendrite.accounts.models import User

from . import access, actions, scopes
from .access import KINDS, Reader, staff_reader
from .models import AccessToken, Client

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ALGORITHMS = ("RS384", "ES384")
MAX_ASSERTION_SECONDS = 300
LEEWAY = 30  # seconds of clock difference tolerated


@dataclass
class OAuthError(Exception):
    error: str
    description: str

    @property
    def status(self) -> int:
        return 401 if self.error == "invalid_client" else 400


class Unauthorized(Exception):
    pass


def public_key_set(jwks: Any) -> KeySet:
    """The registered JWKS as keys; ValueError for anything but public RSA/EC keys."""
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list) or not jwks["keys"]:
        raise ValueError('A key set is a JSON object with a non-empty "keys" list.')
    for key in jwks["keys"]:
        if not isinstance(key, dict) or key.get("kty") not in ("RSA", "EC"):
            raise ValueError("Only RSA and EC public keys are accepted.")
        if "d" in key:
            raise ValueError("This is a private key: paste the public key set only.")
    try:
        return KeySet.import_key_set(cast(Any, jwks))
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise ValueError("The key set could not be read.") from error


def issue(form: dict[str, str], token_urls: list[str]) -> dict[str, Any]:
    """The token response for a client_credentials request, or OAuthError. The
    assertion's aud must be one of `token_urls` (as this request reached us, and under
    settings.SITE_URL, for a server behind a proxy)."""
    if form.get("grant_type") != "client_credentials":
        raise OAuthError("unsupported_grant_type", "Only client_credentials is supported.")
    if form.get("client_assertion_type") != ASSERTION_TYPE:
        raise OAuthError("invalid_request", f"client_assertion_type must be {ASSERTION_TYPE}.")
    assertion = form.get("client_assertion", "")
    if not assertion or len(assertion) > 16_000:
        raise OAuthError("invalid_request", "client_assertion is missing.")
    client = _claimed_client(assertion)
    try:
        claims = _verified_claims(client, assertion, token_urls)
    except OAuthError as error:
        actions.refuse_assertion(client, error.description)
        raise
    granted = scopes.granted(form.get("scope", ""), client.scopes, frozenset(KINDS))
    if not granted:
        actions.refuse_assertion(client, "scope")
        raise OAuthError("invalid_scope", "None of the requested scopes is granted to this client.")
    expires_at = datetime.fromtimestamp(int(claims["exp"]), tz=UTC)
    if not actions.use_assertion(client, str(claims["jti"]), expires_at):
        actions.refuse_assertion(client, "replayed jti")
        raise OAuthError("invalid_client", "This assertion (jti) has been used already.")
    token, row = actions.issue_token(client, granted)
    return {
        "access_token": token,
        "token_type": "bearer",
        "expires_in": actions.TOKEN_SECONDS,
        "scope": row.scopes,
    }


def _claimed_client(assertion: str) -> Client:
    try:
        unverified = jws.extract_compact(assertion.encode())
        claimed = json.loads(unverified.payload)
    except (JoseError, ValueError, TypeError) as error:
        raise OAuthError("invalid_client", "client_assertion is not a signed JWT.") from error
    client_id = claimed.get("iss") if isinstance(claimed, dict) else None
    client = (
        Client.objects.filter(client_id=client_id, is_active=True).first()
        if isinstance(client_id, str)
        else None
    )
    if client is None:
        raise OAuthError("invalid_client", "The assertion's issuer is not a registered client.")
    return client


def _verified_claims(client: Client, assertion: str, token_urls: list[str]) -> dict[str, Any]:
    try:
        keys = public_key_set(client.jwks)
        token = jwt.decode(assertion, keys, algorithms=list(ALGORITHMS))
    except (JoseError, ValueError, TypeError) as error:
        raise OAuthError(
            "invalid_client", "The assertion's signature or algorithm is not accepted."
        ) from error
    claims = token.claims
    registry = JWTClaimsRegistry(
        leeway=LEEWAY,
        iss={"essential": True, "value": client.client_id},
        sub={"essential": True, "value": client.client_id},
        aud={"essential": True, "values": token_urls},
        exp={"essential": True},
        jti={"essential": True},
    )
    try:
        registry.validate(claims)
    except JoseError as error:
        raise OAuthError(
            "invalid_client", f"The assertion's claims are refused: {error.error}."
        ) from error
    exp = claims["exp"]
    if not isinstance(exp, int) or exp > time.time() + MAX_ASSERTION_SECONDS + LEEWAY:
        raise OAuthError("invalid_client", "The assertion's exp is more than 5 minutes ahead.")
    if not isinstance(claims["jti"], str) or not claims["jti"]:
        raise OAuthError("invalid_client", "The assertion's jti is missing.")
    return claims


EMERGENCY_HEADER = "X-Part2-Emergency"  # the reason: 42 CFR 2.51, a medical emergency


def reader_for(request: HttpRequest) -> Reader:
    """Who reads: a bearer token's client or a verified staff session; else Unauthorized."""
    header = request.headers.get("Authorization", "")
    if header:
        kind, _, token = header.partition(" ")
        if kind.lower() != "bearer" or not token.strip():
            raise Unauthorized("The Authorization header must be a Bearer token.")
        row = (
            AccessToken.objects.filter(
                token_hash=actions.token_hash(token.strip()),
                expires_at__gt=timezone.now(),
                client__is_active=True,
            )
            .select_related("client")
            .first()
        )
        if row is None:
            raise Unauthorized("The access token is not valid or has expired.")
        client = row.client
        locations = frozenset(
            client.locations.filter(organization_id=client.organization_id).values_list(
                "id", flat=True
            )
        )
        consents, covered = access.part2_in_force(client.pk)
        return Reader(
            client.name, locations, row.scopes, client_id=client.pk,
            part2=consents, part2_records=covered,
            emergency=request.headers.get(EMERGENCY_HEADER, "").strip()[:200],
        )  # fmt: skip
    user = request.user
    if isinstance(user, User) and user.is_authenticated and user.is_verified():  # type: ignore[attr-defined]
        return staff_reader(user)
    raise Unauthorized("Send a Bearer access token (SMART Backend Services).")
