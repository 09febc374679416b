"""Database triggers that refuse UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) of the
controlled-substance log, as audit/triggers.py does for the audit trail.

The models refuse changes already; the triggers stop raw SQL and other programs too.
The statements are idempotent, so the test suite can lift the guard before it empties
the tables after a live-server test (see dendrite/conftest.py) and put it back.
"""

from dendrite.dbguard import Guard

TABLES = [
    "controlled_receipt",
    "controlled_vial",
    "controlled_count",
    "controlled_countline",
    "controlled_movement",
]
MESSAGE = "the controlled-substance log is append-only"

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION controlled_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}';
END;
$$ LANGUAGE plpgsql;
"""


def _postgres_up(table: str) -> str:
    return f"""
CREATE OR REPLACE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
    FOR EACH ROW EXECUTE FUNCTION controlled_refuse_change();
CREATE OR REPLACE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION controlled_refuse_change();
CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION controlled_refuse_change();
"""


def _postgres_down(table: str) -> str:
    return f"""
DROP TRIGGER IF EXISTS {table}_no_update ON {table};
DROP TRIGGER IF EXISTS {table}_no_delete ON {table};
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
"""


def _sqlite_up(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        for verb in ("UPDATE", "DELETE")
    ]


def _sqlite_down(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_{verb};" for verb in ("update", "delete")]


GUARD = Guard(
    postgres_up=POSTGRES_FUNCTION + "".join(_postgres_up(table) for table in TABLES),
    postgres_down="".join(_postgres_down(table) for table in TABLES),
    sqlite_up=[sql for table in TABLES for sql in _sqlite_up(table)],
    sqlite_down=[sql for table in TABLES for sql in _sqlite_down(table)],
)
statements, install, remove = GUARD.statements, GUARD.install, GUARD.remove
