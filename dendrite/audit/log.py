"""Writing to the audit trail: the one function every audited action calls."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import chain
from .context import current
from .models import AuditEvent

# Any constant: the PostgreSQL advisory lock that makes appends to the chain take turns.
CHAIN_LOCK_ID = 0x0D3D_A11D


def record(
    action: str,
    *,
    user: Any = None,
    username: str = "",
    obj: Any = None,
    object_type: str = "",
    object_id: Any = "",
    patient_id: Any = "",
    outcome: str = AuditEvent.Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one entry to the chain. Never put patient data in `detail`: ids only."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    request_context = current.get()
    event = AuditEvent(
        at=timezone.now(),
        actor_id=user.pk if authenticated else None,
        actor_username=user.get_username() if authenticated else username[:150],
        actor_role=getattr(user, "role", "") if authenticated else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        patient_id=str(patient_id or ""),
        ip_address=request_context.ip_address,
        user_agent=request_context.user_agent,
        outcome=outcome,
        detail=detail or {},
    )
    write(event)
    return event


def write(event: AuditEvent) -> None:
    """Chain and save one entry (the benchmark swaps this out to measure reads without it)."""
    # Inside a caller's transaction (an action's), the entry is part of it: no savepoint
    # of its own, since a failed append fails the whole action anyway (nothing of it is
    # kept without its entry). On its own, the entry is one transaction.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_ID])
        previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event.prev_hash = previous or chain.GENESIS
        event.hash = chain.entry_hash(
            settings.AUDIT_CHAIN_KEY, event.prev_hash, event.chained_fields()
        )
        event.save()


def verify_chain(
    checkpoints: Iterable[chain.Checkpoint] = (), using: str = "default"
) -> chain.BrokenLink | None:
    rows = (
        (event.id, event.prev_hash, event.hash, event.chained_fields())
        for event in AuditEvent.objects.using(using).order_by("id").iterator(chunk_size=2000)
    )
    return chain.verify(settings.AUDIT_CHAIN_KEY, rows, checkpoints)
