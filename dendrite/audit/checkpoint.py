"""Checkpoints of the audit chain's head, kept where the database cannot change them.

Each checkpoint is one signed line appended to DENDRITE_AUDIT_CHECKPOINT_FILE and the
same line written to the log (logger "dendrite.audit.checkpoint"), so that removing
the newest audit entries, which leaves a chain that still links up, is found by
`audit_verify`. A checkpoint names the newest *chained* entry (entries waiting to be
chained are covered by their seals, see log.py). `manage.py audit_checkpoint` chains
what waits and writes one (the scheduler, every 10 minutes); `audit_verify` writes one
after each successful check. Neither writes a new
checkpoint over a trail that no longer matches the last one.
"""

import logging
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .chain import GENESIS, BrokenLink, Checkpoint
from .models import AuditEvent

logger = logging.getLogger("dendrite.audit.checkpoint")


class ForgedCheckpoint(Exception):
    """A line of the checkpoint file was not signed with the audit key."""


def path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def read() -> list[Checkpoint]:
    """Every checkpoint in the file, oldest first; raises ForgedCheckpoint on a bad line."""
    if not path().exists():
        return []
    checkpoints = []
    lines = path().read_text().splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        checkpoint = Checkpoint.from_line(line)
        if checkpoint is None or not checkpoint.is_genuine(settings.AUDIT_CHAIN_KEY):
            raise ForgedCheckpoint(f"line {number} of {path()} is not a signed checkpoint")
        checkpoints.append(checkpoint)
    return checkpoints


def head() -> Checkpoint:
    """The chain's head now (its newest chained entry), signed."""
    with transaction.atomic():
        newest = (
            AuditEvent.objects.filter(seq__isnull=False)
            .order_by("-seq")
            .values_list("id", "hash", "seq")
            .first()
        )
        entry_id, entry_hash, seq = newest or (0, GENESIS, 0)
        count = AuditEvent.objects.filter(seq__lte=seq).count()
    at = timezone.now().isoformat(timespec="seconds")
    return Checkpoint(at, entry_id, entry_hash or GENESIS, count).signed(settings.AUDIT_CHAIN_KEY)


def head_matches(checkpoint: Checkpoint) -> BrokenLink | None:
    """Whether the trail still holds what `checkpoint` saw (a quick look, not a full walk)."""
    if checkpoint.entry_id == 0:
        return None
    stored = AuditEvent.objects.filter(id=checkpoint.entry_id).values_list("hash", "seq")
    reason = ""
    if not stored:
        reason = f"the checkpoint of {checkpoint.at} names it, but it is gone"
    elif stored[0][0] != checkpoint.hash or stored[0][1] is None:
        reason = f"it does not match the checkpoint of {checkpoint.at}"
    elif AuditEvent.objects.filter(seq__lte=stored[0][1]).count() != checkpoint.count:
        reason = f"the entries up to it no longer number {checkpoint.count}"
    return BrokenLink(checkpoint.entry_id, reason) if reason else None


def latest(checkpoints: list[Checkpoint]) -> Checkpoint | None:
    return max(checkpoints, key=lambda checkpoint: checkpoint.entry_id, default=None)


def write(checkpoint: Checkpoint) -> None:
    """Append the checkpoint to the file (made if missing) and to the log."""
    line = checkpoint.to_line()
    path().parent.mkdir(parents=True, exist_ok=True)
    with path().open("a") as file:
        file.write(line + "\n")
        file.flush()
        os.fsync(file.fileno())
    logger.info("audit checkpoint %s", line)
