"""Database triggers that keep a signed note as it was signed, as controlled/triggers.py
keeps the ketamine log: whatever program writes to the database, an UPDATE that changes
a signed note's content, its signer or its co-signature once given is refused, and so is
any UPDATE of an addendum. Only the co-signature may be added to a signed note.

Deletion is refused by the models (and the back office offers none); a trigger on DELETE
would also stop the test suite emptying its tables.
"""

from dendrite.dbguard import Guard

MESSAGE = "a signed note cannot be changed"
FIXED = ("patient_id", "location_id", "appointment_id", "kind", "template_id", "sections",
         "record", "author_id", "signed_by_id", "signed_at", "created_at")  # fmt: skip
COSIGN = ("cosigned_by_id", "cosigned_at")


def _changed(columns: tuple[str, ...], differ: str) -> str:
    return " OR ".join(f"NEW.{c} {differ} OLD.{c}" for c in columns)


def _condition(differ: str) -> str:
    return (
        f"OLD.status <> 'draft' AND ({_changed(FIXED, differ)} OR NEW.status = 'draft'"
        f" OR (OLD.status = 'cosigned' AND ({_changed((*COSIGN, 'status'), differ)})))"
    )


POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION notes_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}';
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE TRIGGER notes_note_locked BEFORE UPDATE ON notes_note
    FOR EACH ROW WHEN ({_condition("IS DISTINCT FROM")})
    EXECUTE FUNCTION notes_refuse_change();
CREATE OR REPLACE TRIGGER notes_addendum_no_update BEFORE UPDATE ON notes_addendum
    FOR EACH ROW EXECUTE FUNCTION notes_refuse_change();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS notes_note_locked ON notes_note;
DROP TRIGGER IF EXISTS notes_addendum_no_update ON notes_addendum;
"""
SQLITE_UP = [
    f"CREATE TRIGGER IF NOT EXISTS notes_note_locked BEFORE UPDATE ON notes_note "
    f"WHEN {_condition('IS NOT')} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER IF NOT EXISTS notes_addendum_no_update BEFORE UPDATE ON notes_addendum "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS notes_note_locked;",
    "DROP TRIGGER IF EXISTS notes_addendum_no_update;",
]


GUARD = Guard(POSTGRES_UP, POSTGRES_DOWN, SQLITE_UP, SQLITE_DOWN)
statements, install, remove = GUARD.statements, GUARD.install, GUARD.remove
