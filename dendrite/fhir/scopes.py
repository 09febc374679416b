"""SMART scopes (CLINICAL.md §12.3 [E7][E8]), pure.

A backend client holds `system/` scopes: v2 `system/<Type|*>.<cruds>` (only the
letters in that order, e.g. `rs`) and v1 `system/<Type|*>.read|write|*`. The API only
reads, so a grant is a set of (resource type or "*", interaction) with interaction
"read" (r) or "search" (s). Scopes with a `?param=value` restriction are not
supported: they are dropped rather than widened.
"""

import re
from dataclasses import dataclass

READ = "read"
SEARCH = "search"
_V2 = re.compile(r"^system/(\*|[A-Z][A-Za-z]+)\.(c?r?u?d?s?)$")
_V1 = re.compile(r"^system/(\*|[A-Z][A-Za-z]+)\.(read|write|\*)$")
_V1_LETTERS = {"read": "rs", "write": "cud", "*": "cruds"}


@dataclass(frozen=True)
class Grant:
    resource_type: str  # a FHIR type, or "*"
    letters: str  # of "cruds"

    def allows(self, resource_type: str, interaction: str) -> bool:
        letter = {READ: "r", SEARCH: "s"}[interaction]
        return self.resource_type in ("*", resource_type) and letter in self.letters


def parse(scope: str) -> Grant | None:
    """One scope as a grant, or None if it is not a system scope this server knows."""
    if match := _V2.match(scope):
        if not match[2]:
            return None
        return Grant(match[1], match[2])
    if match := _V1.match(scope):
        return Grant(match[1], _V1_LETTERS[match[2]])
    return None


def split(scopes: str) -> list[str]:
    return [scope for scope in scopes.split() if scope]


def granted(requested: str, registered: str, known_types: frozenset[str]) -> list[str]:
    """The requested scopes a client gets: each must be a valid system scope, of a type
    the server serves (or *), and covered by one of the scopes registered for it."""
    allowed = [g for g in (parse(s) for s in split(registered)) if g is not None]
    result = []
    for scope in split(requested):
        grant = parse(scope)
        if grant is None or (grant.resource_type != "*" and grant.resource_type not in known_types):
            continue
        if any(_covers(mine, grant) for mine in allowed) and scope not in result:
            result.append(scope)
    return result


def allows(scopes: str, resource_type: str, interaction: str) -> bool:
    return any(
        grant is not None and grant.allows(resource_type, interaction)
        for grant in (parse(scope) for scope in split(scopes))
    )


def _covers(mine: Grant, asked: Grant) -> bool:
    type_ok = mine.resource_type == "*" or mine.resource_type == asked.resource_type
    return type_ok and set(asked.letters) <= set(mine.letters)
