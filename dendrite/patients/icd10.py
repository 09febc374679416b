"""ICD-10-CM codes: the shape check and the clinic's pick-list. Plain Python, no Django.

An ICD-10-CM code is a letter, a digit, a digit or letter (C4A, D3A, M1A, Z3A), then
optionally a dot and one to four more digits or letters (placeholder X and seventh
characters included): F41.1, F33.41, F10.239, T40.7X1A. The shape is checked here; whether
a code exists in the current year's Tabular List is not — any well-formed code is
accepted, and `icd10_psych.json` offers the common ones as a pick-list.
"""

import functools
import json
import re
from pathlib import Path

PICK_LIST_FILE = Path(__file__).with_name("icd10_psych.json")

_SHAPE = re.compile(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?")


def normalize(value: str) -> str:
    """Upper case, no spaces, the dot after the third character: 'f3341' → 'F33.41'."""
    code = "".join(value.split()).upper()
    if "." not in code and len(code) > 3:
        code = f"{code[:3]}.{code[3:]}"
    return code


def is_well_formed(code: str) -> bool:
    return _SHAPE.fullmatch(code) is not None


@functools.cache
def pick_list() -> tuple[tuple[str, str], ...]:
    """(code, description) pairs, in the file's order."""
    data = json.loads(PICK_LIST_FILE.read_text(encoding="utf-8"))
    return tuple((entry["code"], entry["description"]) for entry in data["codes"])


def description_of(code: str) -> str:
    """The pick-list's description of a code, or '' when the code is not on the list."""
    return dict(pick_list()).get(code, "")
