"""Reading a FHIR search's query string (pure: no Django).

What each resource type accepts is declared by the caller as {name: kind}; kinds are
"token", "reference", "date". Everything else is refused with a reason (a 400
OperationOutcome), never ignored: a client that filters on something we do not support
must not believe it got a filtered answer.

Dates (FHIR R4 search, "date" parameters): a value has the precision it is written in
(year, month, day, or a moment), so it stands for a range [start, end); the prefixes
compare the resource's moment with that range. A value without a time zone is UTC.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

MAX_COUNT = 200
DEFAULT_COUNT = 50
MAX_OFFSET = 1_000_000
PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb")
# Accepted everywhere and without effect on what is found.
HARMLESS = frozenset({"_format", "_pretty"})
COMMON = {"_id": "token", "_lastUpdated": "date"}

_DATE = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)
_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


class BadRequest(Exception):
    """The query cannot be answered as asked; the message says why (no patient data)."""


@dataclass(frozen=True)
class DateRange:
    prefix: str
    start: datetime
    end: datetime

    def bounds(self) -> tuple[datetime | None, datetime | None, bool]:
        """(lowest allowed, first not allowed, negate) for a moment in time."""
        match self.prefix:
            case "eq":
                return self.start, self.end, False
            case "ne":
                return self.start, self.end, True
            case "gt" | "sa":
                return self.end, None, False
            case "lt" | "eb":
                return None, self.start, False
            case "ge":
                return self.start, None, False
            case _:  # le
                return None, self.end, False


@dataclass(frozen=True)
class Token:
    system: str | None  # None: any system
    code: str


@dataclass
class Query:
    filters: list[tuple[str, str, Any]] = field(default_factory=list)  # (name, kind, value)
    count: int = DEFAULT_COUNT
    offset: int = 0
    includes: list[str] = field(default_factory=list)  # reference parameter names


def parse(
    resource_type: str, params: Iterable[tuple[str, str]], accepted: Mapping[str, str]
) -> Query:
    """Read (name, value) pairs; `accepted` is the type's own parameters {name: kind}."""
    known = {**COMMON, **accepted}
    query = Query()
    for name, value in params:
        base, _, modifier = name.partition(":")
        if base in HARMLESS:
            continue
        if base == "_count":
            query.count = min(_whole(name, value), MAX_COUNT)
        elif base in ("_offset", "_getpagesoffset"):
            query.offset = min(_whole(name, value), MAX_OFFSET)
        elif base == "_include":
            query.includes.append(_include(resource_type, value, accepted))
        elif base in known:
            if modifier:
                raise BadRequest(f"The modifier :{modifier} is not supported on {base}.")
            query.filters.append((base, known[base], _value(base, known[base], value)))
        else:
            raise BadRequest(f"The search parameter {name} is not supported on {resource_type}.")
    return query


def parse_date(text: str) -> tuple[str, datetime, datetime]:
    """(prefix, start, end) of a date parameter's value, e.g. "ge2026-05"."""
    prefix = text[:2] if text[:2] in PREFIXES else "eq"
    body = text[2:] if text[:2] in PREFIXES else text
    match = _DATE.match(body)
    if not match:
        raise ValueError(body)
    year, month, day = int(match["y"]), int(match["m"] or 1), int(match["d"] or 1)
    if match["H"] is not None:
        tz = _zone(match["tz"])
        start = datetime(
            year, month, day, int(match["H"]), int(match["M"]), int(match["S"] or 0), tzinfo=tz
        )
        step = timedelta(seconds=1) if match["S"] else timedelta(minutes=1)
        return prefix, start, start + step
    start = datetime(year, month, day, tzinfo=UTC)
    if match["d"]:
        end = start + timedelta(days=1)
    elif match["m"]:
        end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    else:
        end = datetime(year + 1, 1, 1, tzinfo=UTC)
    return prefix, start, end


def reference_id(value: str, target: str = "Patient") -> str | None:
    """The id in `123`, `Patient/123` or `https://host/fhir/Patient/123`; None if the
    reference names another type."""
    parts = value.rstrip("/").split("/")
    if len(parts) >= 2:
        if parts[-2] != target:
            return None
        return parts[-1]
    return parts[0]


def first_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _value(name: str, kind: str, value: str) -> object:
    if value == "":
        raise BadRequest(f"The search parameter {name} has no value.")
    if kind == "date":
        try:
            prefix, start, end = parse_date(value)
        except ValueError as error:
            raise BadRequest(
                f"The value of {name} is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or a "
                "dateTime with a time zone), optionally after a prefix such as ge or le."
            ) from error
        return DateRange(prefix, start, end)
    items = value.split(",")
    if any(item == "" for item in items):
        raise BadRequest(f"The search parameter {name} has an empty value in its list.")
    if kind == "reference":
        return [reference_id(item) for item in items]
    tokens = []
    for item in items:
        system, bar, code = item.rpartition("|")
        if not code:
            raise BadRequest(f"The value of {name} has no code after its system.")
        tokens.append(Token(system if bar else None, code))
    if name == "_id" and not all(_ID.match(t.code) for t in tokens):
        raise BadRequest("An _id is 1 to 64 letters, digits, dashes and dots.")
    return tokens


def _whole(name: str, value: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise BadRequest(f"{name} must be a whole number, 0 or more.")
    return int(value)


def _include(resource_type: str, value: str, accepted: Mapping[str, str]) -> str:
    source, _, name = value.partition(":")
    name = name.partition(":")[0]
    if source != resource_type or accepted.get(name) != "reference":
        raise BadRequest(
            f"_include={value} is not supported; {resource_type} includes only "
            + ", ".join(f"{resource_type}:{n}" for n, k in accepted.items() if k == "reference")
            + "."
        )
    return name


def _zone(text: str | None) -> tzinfo:
    if text is None or text == "Z":
        return UTC
    sign = 1 if text[0] == "+" else -1
    hours, minutes = int(text[1:3]), int(text[4:6])
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
