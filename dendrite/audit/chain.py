"""The hash chain behind the audit trail: pure functions, no Django.

Each entry's hash is an HMAC over the previous entry's hash and the entry's own
fields, so changing, inserting or removing any entry breaks every link after it.
The key lives outside the database, so someone who can write to the database
cannot quietly rebuild the chain.

Entries are written sealed (an HMAC over their own fields) and chained a moment later,
in batches, in the order they were committed: `seal` covers the time between.

A chain alone cannot tell that its newest entries were cut off: what is left still
links up. So the head is anchored: a checkpoint (the newest entry's id and hash, and
how many entries lead up to it) is signed with the same key and kept outside the
database (see checkpoint.py); `verify` checks the chain against every checkpoint.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

GENESIS = "0" * 64


def entry_hash(key: str, previous_hash: str, fields: Mapping[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    message = f"{previous_hash}\n{payload}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


# What a seal is computed after, in place of a previous entry's hash: never a hash (not
# 64 hex digits), so a seal can never pass for a link or a link for a seal.
SEAL = "seal"


def seal(key: str, fields: Mapping[str, Any]) -> str:
    """An entry's own HMAC, before it has a place in the chain."""
    return entry_hash(key, SEAL, fields)


def seal_matches(key: str, stored_seal: str, fields: Mapping[str, Any]) -> bool:
    return hmac.compare_digest(stored_seal, seal(key, fields))


@dataclass(frozen=True)
class BrokenLink:
    entry_id: int
    reason: str


@dataclass(frozen=True)
class Checkpoint:
    """The head of the chain at one moment: entry `entry_id`, with hash `hash`, was the
    newest, and `count` entries led up to it (itself included)."""

    at: str
    entry_id: int
    hash: str
    count: int
    signature: str = ""

    def message(self) -> bytes:
        return f"checkpoint\n{self.at}\n{self.entry_id}\n{self.hash}\n{self.count}".encode()

    def signed(self, key: str) -> "Checkpoint":
        digest = hmac.new(key.encode(), self.message(), hashlib.sha256).hexdigest()
        return Checkpoint(self.at, self.entry_id, self.hash, self.count, digest)

    def is_genuine(self, key: str) -> bool:
        return hmac.compare_digest(self.signature, self.signed(key).signature)

    def to_line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_line(cls, line: str) -> "Checkpoint | None":
        """The checkpoint written on this line, or None if the line is not one."""
        try:
            data = json.loads(line)
            return cls(
                at=str(data["at"]),
                entry_id=int(data["entry_id"]),
                hash=str(data["hash"]),
                count=int(data["count"]),
                signature=str(data["signature"]),
            )
        except (ValueError, TypeError, KeyError):
            return None


def verify(
    key: str,
    entries: Iterable[tuple[int, str, str, Mapping[str, Any]]],
    checkpoints: Iterable[Checkpoint] = (),
) -> BrokenLink | None:
    """Walk (id, prev_hash, hash, fields) in order; return the first broken link.

    Each checkpoint's entry must still be there, unchanged, with as many entries before
    it as when the checkpoint was written: otherwise entries were removed or replaced.
    """
    anchors = {checkpoint.entry_id: checkpoint for checkpoint in checkpoints}
    expected_previous = GENESIS
    for position, (entry_id, prev_hash, stored_hash, fields) in enumerate(entries, start=1):
        if prev_hash != expected_previous:
            return BrokenLink(entry_id, "its link to the previous entry does not match")
        if not hmac.compare_digest(stored_hash, entry_hash(key, prev_hash, fields)):
            return BrokenLink(entry_id, "its contents do not match its hash")
        anchor = anchors.pop(entry_id, None)
        if anchor is not None and (anchor.hash != stored_hash or anchor.count != position):
            return BrokenLink(
                entry_id, f"it does not match the checkpoint of {anchor.at}: entries were replaced"
            )
        expected_previous = stored_hash
    anchors.pop(0, None)  # a checkpoint of the empty trail
    if anchors:
        missing = min(anchors.values(), key=lambda checkpoint: checkpoint.entry_id)
        return BrokenLink(
            missing.entry_id,
            f"the checkpoint of {missing.at} names it, but it is gone: "
            "the newest entries were removed",
        )
    return None
