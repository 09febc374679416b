"""The FHIR API's writes: using up a client assertion and issuing an access token;
recording and revoking Part 2 disclosure consents; the accounting of disclosures."""

import hashlib
import secrets
from collections import Counter
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from dendrite.accounts.models import Role, User
from dendrite.audit.log import record
from dendrite.mail import send_later
from dendrite.patients.models import Patient

from .models import AccessToken, Client, Disclosure, DisclosureConsent, UsedAssertion

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


def record_disclosures(
    client_id: int,
    per_patient: Mapping[int, Counter[str]],
    consents: Mapping[int, tuple[int, str]],
    *,
    emergency: str = "",
) -> None:
    """The accounting of disclosures (42 CFR 2.24): one row per patient per request. A
    disclosure without consent is under the medical-emergency exception (42 CFR 2.51):
    the row says so with the stated reason, the audit trail has it, and the clinic
    admins of the patient's location are e-mailed at once (no PHI in the subject)."""
    now = timezone.now()
    with transaction.atomic():
        Disclosure.objects.bulk_create(
            Disclosure(
                patient_id=patient_id,
                client_id=client_id,
                consent_id=consents[patient_id][0] if patient_id in consents else None,
                purpose=consents[patient_id][1] if patient_id in consents else "treatment",
                exception="" if patient_id in consents else f"Medical emergency: {emergency}",
                resource_types=", ".join(f"{name} ({n})" for name, n in sorted(types.items()))[
                    :200
                ],
                count=sum(types.values()),
                at=now,
            )
            for patient_id, types in per_patient.items()
        )
        for patient_id in per_patient.keys() - consents.keys():
            _emergency_alert(client_id, patient_id, emergency)


def _emergency_alert(client_id: int, patient_id: int, reason: str) -> None:
    client = Client.objects.get(pk=client_id)
    patient = Patient.objects.get(pk=patient_id)
    record(
        "fhir.part2.emergency",
        username=client.name,
        object_type="fhir.client",
        object_id=client_id,
        patient_id=patient_id,
        detail={"client": client_id},
    )
    admins = User.objects.filter(
        role=Role.CLINIC_ADMIN, is_active=True, locations=patient.location_id
    ).values_list("email", flat=True)
    chart = settings.SITE_URL + reverse("patients:chart", args=[patient_id])
    send_later(
        "Part 2 emergency disclosure through the FHIR API",
        f"{client.name} received substance use disorder records of a patient under the "
        f"medical emergency exception of 42 CFR Part 2 (2.51).\n\nReason given: {reason}\n"
        f"When: {timezone.now().isoformat()}\nChart: {chart}\n\nCheck that this was a "
        "bona fide medical emergency; the disclosure is in the chart's accounting of "
        "disclosures.",
        list(admins),
    )


def record_consent(consent: DisclosureConsent, user: User) -> DisclosureConsent:
    """Save a Part 2 disclosure consent recorded by `user`, audited."""
    with transaction.atomic():
        created = consent.pk is None
        consent.recorded_by = user
        consent.save()
        record(
            "fhir.part2_consent.record" if created else "fhir.part2_consent.change",
            user=user,
            object_type="fhir.part2_consent",
            object_id=consent.pk,
            patient_id=consent.patient_id,
            detail={"client": consent.client_id, "purpose": consent.purpose},
        )
    return consent


def revoke_consent(consent: DisclosureConsent, user: User, *, reason: str = "") -> None:
    """Revoke a Part 2 consent from now on (once: a second revocation changes nothing)."""
    with transaction.atomic():
        DisclosureConsent.objects.filter(pk=consent.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=user, revoke_reason=reason
        )
        record(
            "fhir.part2_consent.revoke",
            user=user,
            object_type="fhir.part2_consent",
            object_id=consent.pk,
            patient_id=consent.patient_id,
            detail={"client": consent.client_id},
        )
