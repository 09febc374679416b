"""The FHIR API's writes: using up a client assertion and issuing an access token."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from dendrite.audit.log import record

from .models import AccessToken, Client, UsedAssertion

TOKEN_SECONDS = 300  # SMART Backend Services: SHOULD NOT exceed 300 (CLINICAL.md §12.3)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def use_assertion(client: Client, jti: str, expires_at: datetime) -> bool:
    """Record the assertion's jti; False if it was used before (a replay). Assertions
    whose time is over are swept here: they cannot be replayed anyway."""
    now = timezone.now()
    try:
        with transaction.atomic():
            UsedAssertion.objects.filter(expires_at__lt=now).delete()
            UsedAssertion.objects.create(client=client, jti=jti[:255], expires_at=expires_at)
    except IntegrityError:
        return False
    return True


def issue_token(client: Client, granted: list[str]) -> tuple[str, AccessToken]:
    """A new bearer token for `client` (only its hash is stored), audited."""
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        AccessToken.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
        row = AccessToken.objects.create(
            client=client,
            token_hash=token_hash(token),
            scopes=" ".join(granted),
            issued_at=now,
            expires_at=now + timedelta(seconds=TOKEN_SECONDS),
        )
        record(
            "fhir.token.issue",
            username=client.name,
            object_type="fhir.client",
            object_id=client.pk,
            detail={"client": client.pk, "scopes": granted},
        )
    return token, row


def refuse_assertion(client: Client | None, reason: str) -> None:
    """A refused token request, audited when we know which client it claimed to be."""
    if client is not None:
        record(
            "fhir.token.issue",
            username=client.name,
            object_type="fhir.client",
            object_id=client.pk,
            outcome="denied",
            detail={"client": client.pk, "reason": reason},
        )
