"""Database triggers that refuse UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) of the
controlled-substance log, as audit/triggers.py does for the audit trail.

The models refuse changes already; the triggers stop raw SQL and other programs too.
The statements are idempotent, so the test suite can lift the guard before it empties
the tables after a live-server test (see dendrite/conftest.py) and put it back.
"""

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.backends.utils import CursorWrapper

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


def statements(vendor: str, *, up: bool) -> list[str]:
    if vendor == "postgresql":
        if up:
            return [POSTGRES_FUNCTION + "".join(_postgres_up(table) for table in TABLES)]
        return ["".join(_postgres_down(table) for table in TABLES)]
    if vendor == "sqlite":
        build = _sqlite_up if up else _sqlite_down
        return [sql for table in TABLES for sql in build(table)]
    return []


def install(executor: BaseDatabaseSchemaEditor | CursorWrapper, vendor: str) -> None:
    for sql in statements(vendor, up=True):
        executor.execute(sql)


def remove(executor: BaseDatabaseSchemaEditor | CursorWrapper, vendor: str) -> None:
    for sql in statements(vendor, up=False):
        executor.execute(sql)
