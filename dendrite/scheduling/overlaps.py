"""The database's own refusal of double bookings.

PostgreSQL: three exclusion constraints (GiST over time ranges, btree_gist for the ids)
— a patient, a staff member or a chair in two overlapping appointments that still hold
their resources cannot be written, whatever the code that tries.

SQLite has no exclusion constraints; triggers do the same check before every insert
and every change of time, resource or status. SQLite runs one write transaction at a
time (BEGIN IMMEDIATE, see settings), so check-then-write cannot interleave there.

Times are half-open: an appointment ending at 10:00 and one starting at 10:00 do not
overlap.
"""

from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TABLE = "scheduling_appointment"
RELEASED_SQL = "('cancelled', 'no_show')"

# (constraint name, resource column, end column)
RESOURCES = [
    ("appt_no_patient_overlap", "patient_id", "ends_at"),
    ("appt_no_staff_overlap", "staff_id", "staff_ends_at"),
    ("appt_no_chair_overlap", "chair_id", "ends_at"),
]


def postgres_up() -> list[str]:
    statements = ["CREATE EXTENSION IF NOT EXISTS btree_gist"]
    for name, column, end in RESOURCES:
        statements.append(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, tstzrange(starts_at, {end}, '[)') WITH &&) "
            f"WHERE ({column} IS NOT NULL AND status NOT IN {RELEASED_SQL})"
        )
    return statements


def postgres_down() -> list[str]:
    return [f"ALTER TABLE {TABLE} DROP CONSTRAINT IF EXISTS {name}" for name, _, _ in RESOURCES]


def _sqlite_clash() -> str:
    clauses = " OR ".join(
        f"(other.{column} = NEW.{column} AND other.starts_at < NEW.{end} "
        f"AND NEW.starts_at < other.{end})"
        for _, column, end in RESOURCES
    )
    # Built from the constants above only, never from input.
    clash = f"SELECT 1 FROM {TABLE} AS other WHERE other.id IS NOT NEW.id "  # noqa: S608
    clash += f"AND other.status NOT IN {RELEASED_SQL} AND ({clauses})"
    return (
        "SELECT RAISE(ABORT, 'appointment overlaps another booking') "
        f"WHERE NEW.status NOT IN {RELEASED_SQL} AND EXISTS ({clash});"
    )


def sqlite_up() -> list[str]:
    watched = "starts_at, staff_ends_at, ends_at, patient_id, staff_id, chair_id, status"
    return [
        f"CREATE TRIGGER IF NOT EXISTS appt_no_overlap_insert BEFORE INSERT ON {TABLE} "
        f"BEGIN {_sqlite_clash()} END;",
        f"CREATE TRIGGER IF NOT EXISTS appt_no_overlap_update BEFORE UPDATE OF {watched} "
        f"ON {TABLE} BEGIN {_sqlite_clash()} END;",
    ]


def sqlite_down() -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS appt_no_overlap_insert",
        "DROP TRIGGER IF EXISTS appt_no_overlap_update",
    ]


def install(schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": postgres_up, "sqlite": sqlite_up}.get(vendor, list)():
        schema_editor.execute(sql)


def remove(schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": postgres_down, "sqlite": sqlite_down}.get(vendor, list)():
        schema_editor.execute(sql)
