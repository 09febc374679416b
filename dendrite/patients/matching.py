"""Is this the same person? Scoring a new person against charts that may be theirs.

Plain Python, no Django. `patients.access.duplicate_candidates` fetches the few charts
that share a date of birth, an e-mail address, a phone number or a name with the new
person (indexed lookups); `score` then says how alike each one is, and `likely`
keeps those worth showing to staff before a second chart is made.

Names are compared by their search key (search.name_key: case, accents, spaces and
punctuation ignored), also with first and last swapped; e-mail addresses without
regard to case; phone numbers by their digits, read as US numbers (a leading 1 or
+1 dropped).
"""

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .search import name_key

# What each matching field adds to the score, and what must be reached to show a chart.
WEIGHTS = {"name": 3, "swapped_name": 2, "date_of_birth": 3, "email": 4, "phone": 3}
THRESHOLD = 4

LABELS = {
    "name": "same name",
    "swapped_name": "same name, first and last swapped",
    "date_of_birth": "same date of birth",
    "email": "same e-mail address",
    "phone": "same phone number",
}


class Person(NamedTuple):
    first_name: str
    last_name: str
    date_of_birth: dt.date | None
    email: str = ""
    phone: str = ""


class Match(NamedTuple):
    score: int
    fields: tuple[str, ...]  # keys of LABELS, in that order

    @property
    def words(self) -> list[str]:
        return [LABELS[field] for field in self.fields]


def normal_email(value: str) -> str:
    return value.strip().casefold()


def normal_phone(value: str) -> str:
    """Ten digits for a US number however it was written; other numbers by their digits."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 11 and digits.startswith("1"):
        return digits[1:]
    return digits


def score(new: Person, existing: Person) -> Match:
    """How alike the two are, and in which fields."""
    fields: list[str] = []
    first, last = name_key(new.first_name), name_key(new.last_name)
    other_first, other_last = name_key(existing.first_name), name_key(existing.last_name)
    if first and last and (first, last) == (other_first, other_last):
        fields.append("name")
    elif first and last and (first, last) == (other_last, other_first):
        fields.append("swapped_name")
    if new.date_of_birth is not None and new.date_of_birth == existing.date_of_birth:
        fields.append("date_of_birth")
    email = normal_email(new.email)
    if email and email == normal_email(existing.email):
        fields.append("email")
    phone = normal_phone(new.phone)
    if len(phone) >= 7 and phone == normal_phone(existing.phone):
        fields.append("phone")
    ordered = tuple(field for field in LABELS if field in fields)
    return Match(sum(WEIGHTS[field] for field in ordered), ordered)


def likely[T](new: Person, candidates: Iterable[tuple[T, Person]]) -> list[tuple[T, Match]]:
    """The candidates alike enough to show, most alike first (a stable order otherwise)."""
    found = [(item, score(new, person)) for item, person in candidates]
    kept = [(item, match) for item, match in found if match.score >= THRESHOLD]
    return sorted(kept, key=lambda pair: -pair[1].score)


def name_keys(first_name: str, last_name: str) -> Sequence[str]:
    """The keys a chart's name is looked up by (both orders: a swapped name is found too)."""
    return [key for key in (name_key(first_name), name_key(last_name)) if key]
