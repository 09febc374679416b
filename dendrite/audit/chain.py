"""The hash chain behind the audit trail: pure functions, no Django.

Each entry's hash is an HMAC over the previous entry's hash and the entry's own
fields, so changing, inserting or removing any entry breaks every link after it.
The key lives outside the database, so someone who can write to the database
cannot quietly rebuild the chain.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def entry_hash(key: str, previous_hash: str, fields: Mapping[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    message = f"{previous_hash}\n{payload}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class BrokenLink:
    entry_id: int
    reason: str


def verify(
    key: str, entries: Iterable[tuple[int, str, str, Mapping[str, Any]]]
) -> BrokenLink | None:
    """Walk (id, prev_hash, hash, fields) in order; return the first broken link."""
    expected_previous = GENESIS
    for entry_id, prev_hash, stored_hash, fields in entries:
        if prev_hash != expected_previous:
            return BrokenLink(entry_id, "its link to the previous entry does not match")
        if not hmac.compare_digest(stored_hash, entry_hash(key, prev_hash, fields)):
            return BrokenLink(entry_id, "its contents do not match its hash")
        expected_previous = stored_hash
    return None
