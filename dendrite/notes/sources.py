"""Records a note is built from, by kind: an app above notes (infusions) adds the
function that copies its record into a note (its AppConfig.ready()), so notes imports
none of them. The copy is taken again at signing, and from then on never changes."""

from collections.abc import Callable
from typing import Any

from .models import Note

Build = Callable[[Note], dict[str, Any]]
RECORDS: dict[str, Build] = {}


def add_record_source(kind: str, build: Build) -> None:
    RECORDS[kind] = build


def record_for(note: Note) -> dict[str, Any] | None:
    """The record as it stands now, or None where the kind has no record."""
    build = RECORDS.get(note.kind)
    return build(note) if build else None
