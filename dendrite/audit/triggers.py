"""Database triggers that refuse UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) of the
audit trail, but for one update: the chainer's (log.chain_pending).

An entry is written unchained; the chainer then sets its place and links (`seq`,
`prev_hash`, `hash`) once. The update trigger lets exactly that through — all three
NULL before and set after, every other column unchanged — and refuses every other
update, including a second chaining of the same entry.

The model already refuses changes; the triggers stop raw SQL and other programs too.
Someone with full control of the database can still drop a trigger, which is why
every entry is also sealed and hash-chained (see chain.py). The statements are
idempotent, so the test suite can lift and restore the guard around its database
flushes; `install` replaces an older version of a trigger.
"""

from dendrite.dbguard import Guard

TABLE = "audit_auditevent"
# The chainer's columns; every other column must stay as written.
CHAIN_COLUMNS = ("seq", "prev_hash", "hash")
# SQLite has no row-to-JSON comparison: the columns are named (a new column must be added).
CONTENT_COLUMNS = (
    "id",
    "at",
    "actor_id",
    "actor_username",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "patient_id",
    "ip_address",
    "user_agent",
    "outcome",
    "detail",
    "seal",
)
_CHAINING_ONCE = " AND ".join(
    [f"OLD.{column} IS NULL AND NEW.{column} IS NOT NULL" for column in CHAIN_COLUMNS]
)
_UNCHANGED_PG = " ".join(f"- '{column}'" for column in CHAIN_COLUMNS)
_UNCHANGED_SQLITE = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in CONTENT_COLUMNS)

# The one update let through on PostgreSQL: every column but the chainer's compared as JSON.
CHAINING_PG = (
    f"TG_OP = 'UPDATE' AND {_CHAINING_ONCE} "
    f"AND (to_jsonb(NEW) {_UNCHANGED_PG}) = (to_jsonb(OLD) {_UNCHANGED_PG})"
)

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    IF {CHAINING_PG} THEN
        RETURN NEW;  -- the chainer linking an entry, once
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE OR REPLACE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE OR REPLACE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
"""
POSTGRES_DOWN = f"""
DROP TRIGGER IF EXISTS audit_no_update ON {TABLE};
DROP TRIGGER IF EXISTS audit_no_delete ON {TABLE};
DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE};
DROP FUNCTION IF EXISTS audit_refuse_change();
"""
SQLITE_UP = [
    # SQLite has no CREATE OR REPLACE TRIGGER: drop first, so an older version is replaced.
    "DROP TRIGGER IF EXISTS audit_no_update;",
    f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} "
    f"WHEN NOT ({_CHAINING_ONCE} AND {_UNCHANGED_SQLITE}) "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
    f"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_no_update;", "DROP TRIGGER IF EXISTS audit_no_delete;"]


GUARD = Guard(POSTGRES_UP, POSTGRES_DOWN, SQLITE_UP, SQLITE_DOWN)
statements, install, remove = GUARD.statements, GUARD.install, GUARD.remove
