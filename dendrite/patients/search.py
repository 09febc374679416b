"""Reading the patient search box: a date of birth, a phone number, an MRN or a name.

Plain Python, no Django. `parse` decides what was typed; `PatientQuerySet.search`
(models.py) turns the answer into one indexed query.
"""

import datetime as dt
import re
import unicodedata
from typing import NamedTuple

from dendrite.clinics.phones import to_e164

DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y")
_PHONE_CHARACTERS = re.compile(r"\+?[\d\s().-]+")


class NameQuery(NamedTuple):
    whole: str  # the whole text as one key: the start of a first or last name
    first: str  # "Ada Lovelace": the start of the first name …
    last: str  # … and of the last name; "Lovelace, Ada" reads the other way round


class Query(NamedTuple):
    kind: str  # "name", "dob", "phone", "mrn", or "" when nothing was typed
    value: NameQuery | dt.date | str | None


def name_key(value: str) -> str:
    """What a name is searched by: lower case, letters and digits only, accents dropped.

    "O'Brien-Núñez" → "obriennunez", so staff find a patient however they spell the
    punctuation. Letters of other scripts are kept as they are.
    """
    # Casefold after the compatibility decomposition too: "ᴬ" or "𝐀" decompose to "A".
    decomposed = unicodedata.normalize("NFKD", value.casefold()).casefold()
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def prefix_range(prefix: str) -> tuple[str, str]:
    """(low, high) such that low <= s < high exactly when s starts with prefix.

    Holds for code-point order, which is SQLite's BINARY collation of UTF-8 text.
    (Keys never end in U+10FFFF, the one character without a successor: it is no letter.)
    """
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def parse(text: str) -> Query:
    text = " ".join(text.split())
    if not text:
        return Query("", None)
    for pattern in DATE_FORMATS:
        try:
            return Query("dob", dt.datetime.strptime(text, pattern).date())
        except ValueError:
            pass
    if _PHONE_CHARACTERS.fullmatch(text) and sum(ch.isdigit() for ch in text) >= 10:
        return Query("phone", to_e164(text) or text)
    if any(ch.isdigit() for ch in text):
        return Query("mrn", "".join(text.split()).upper())
    return Query("name", _name_query(text))


def _name_query(text: str) -> NameQuery:
    if "," in text:
        last, first = text.split(",", 1)
        return NameQuery(name_key(text), name_key(first), name_key(last))
    words = text.split()
    if len(words) == 1:
        return NameQuery(name_key(text), "", "")
    return NameQuery(name_key(text), name_key(words[0]), name_key(words[-1]))
