"""Writing to the audit trail: the one function every audited action calls."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from . import chain
from .context import current
from .models import AuditEvent

# Any constant: the PostgreSQL advisory lock that makes chainers take turns.
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
    """Append one entry to the trail. Never put patient data in `detail`: ids only."""
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
    """Save one entry, sealed and not yet chained (the benchmark swaps this out to measure
    reads without auditing).

    No lock and no read of the chain's head: concurrent writers never wait for each
    other, and inside a caller's transaction (an action's) the entry is simply part of
    it (no savepoint of its own: a failed insert fails the whole action, so nothing of
    it is kept without its entry). `chain_pending` links the entry shortly after.
    """
    event.seal = chain.seal(settings.AUDIT_CHAIN_KEY, event.chained_fields())
    event.save()


class TamperedEntry(Exception):
    """An entry waiting to be chained no longer matches its seal: it was changed."""

    def __init__(self, broken: chain.BrokenLink) -> None:
        super().__init__(broken.reason)
        self.broken = broken


def chain_pending(batch_size: int = 500, using: str = "default") -> int:
    """Chain every committed entry not chained yet, in batches, oldest first; return how many.

    One chainer at a time (an advisory lock on PostgreSQL, the write lock SQLite's
    IMMEDIATE transactions take at BEGIN), once per batch rather than once per entry.
    Entries get the next places in the chain in id order among those committed now; an
    entry committed later (a long action's) gets a later place, never a gap. Each entry's
    seal is checked first: a changed entry is never chained (TamperedEntry).
    """
    chained = 0
    connection = connections[using]
    key = settings.AUDIT_CHAIN_KEY
    while True:
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_ID])
            events = AuditEvent.objects.using(using)
            head = events.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash")
            seq, previous = head.first() or (0, chain.GENESIS)
            pending = list(events.filter(seq__isnull=True).order_by("id")[:batch_size])
            rows = []
            for event in pending:
                fields = event.chained_fields()
                if not chain.seal_matches(key, event.seal, fields):
                    raise TamperedEntry(
                        chain.BrokenLink(event.id, "its contents do not match its seal")
                    )
                seq += 1
                digest = chain.entry_hash(key, previous, fields)
                rows.append((seq, previous, digest, event.id))
                previous = digest
            if rows:
                with connection.cursor() as cursor:
                    # The one change the database lets through (triggers.py): an
                    # unchained entry's place and links, set once.
                    cursor.executemany(
                        "UPDATE audit_auditevent SET seq = %s, prev_hash = %s, hash = %s "
                        "WHERE id = %s AND seq IS NULL",
                        rows,
                    )
        chained += len(rows)
        if len(pending) < batch_size:
            return chained


def verify_chain(
    checkpoints: Iterable[chain.Checkpoint] = (), using: str = "default"
) -> chain.BrokenLink | None:
    """The first broken link of the chained entries (walked in chain order, against the
    checkpoints), else the first entry waiting to be chained that breaks its seal."""
    events = AuditEvent.objects.using(using)
    rows = (
        (event.id, event.prev_hash or "", event.hash or "", event.chained_fields())
        for event in events.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000)
    )
    broken = chain.verify(settings.AUDIT_CHAIN_KEY, rows, checkpoints)
    if broken is not None:
        return broken
    for event in events.filter(seq__isnull=True).order_by("id").iterator(chunk_size=2000):
        if not chain.seal_matches(settings.AUDIT_CHAIN_KEY, event.seal, event.chained_fields()):
            return chain.BrokenLink(event.id, "its contents do not match its seal")
    return None


def waiting_since(
    older_than: dt.timedelta, using: str = "default"
) -> tuple[int, dt.datetime | None]:
    """How many entries older than `older_than` wait to be chained, and the oldest's time."""
    waiting = AuditEvent.objects.using(using).filter(
        seq__isnull=True, at__lt=timezone.now() - older_than
    )
    return waiting.count(), waiting.order_by("at").values_list("at", flat=True).first()
