"""Entries are written sealed and chained afterwards, in batches (audit/log.py): the
chain's place `seq`, the entry's own `seal`, links NULL until chained. The entries
already there are chained: they get their places in id order (the order they were
chained in). The update trigger is replaced by one that lets the chainer through.

The triggers' SQL is frozen here as it was when this migration was written;
audit/triggers.py has the current version, and a test (test_triggers_migration) fails
when the two differ, so a change there comes with a migration of its own.
"""

from django.db import migrations, models

TABLE = "audit_auditevent"
REFUSE = "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
CHAIN_COLUMNS = ("seq", "prev_hash", "hash")
CONTENT_COLUMNS = (
    "id", "at", "actor_id", "actor_username", "actor_role", "action", "object_type",
    "object_id", "patient_id", "ip_address", "user_agent", "outcome", "detail", "seal",
)  # fmt: skip
CHAINING_ONCE = " AND ".join(
    f"OLD.{column} IS NULL AND NEW.{column} IS NOT NULL" for column in CHAIN_COLUMNS
)
UNCHANGED_PG = " ".join(f"- '{column}'" for column in CHAIN_COLUMNS)
UNCHANGED_SQLITE = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in CONTENT_COLUMNS)
CHAINING_PG = (
    f"TG_OP = 'UPDATE' AND {CHAINING_ONCE} "
    f"AND (to_jsonb(NEW) {UNCHANGED_PG}) = (to_jsonb(OLD) {UNCHANGED_PG})"
)

# The guard that lets the chainer through (audit/triggers.py at this migration).
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
    "DROP TRIGGER IF EXISTS audit_no_update;",
    f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} "
    f"WHEN NOT ({CHAINING_ONCE} AND {UNCHANGED_SQLITE}) {REFUSE}",
    f"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE} {REFUSE}",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_no_update;", "DROP TRIGGER IF EXISTS audit_no_delete;"]

# 0002's guard: no update at all (entries not chained yet stop a downgrade).
POSTGRES_REFUSE_ALL = POSTGRES_UP.replace(CHAINING_PG, "FALSE")
SQLITE_REFUSE_ALL = [
    f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} {REFUSE}",
    f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE} {REFUSE}",
]


def _run(schema_editor, postgres, sqlite):
    vendor = schema_editor.connection.vendor
    for sql in [postgres] if vendor == "postgresql" else sqlite if vendor == "sqlite" else []:
        schema_editor.execute(sql)


def lift_guard(apps, schema_editor):
    _run(schema_editor, POSTGRES_DOWN, SQLITE_DOWN)


def place_and_guard(apps, schema_editor):
    schema_editor.execute(
        "UPDATE audit_auditevent SET seq = numbered.place FROM ("
        "SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS place FROM audit_auditevent"
        ") AS numbered WHERE audit_auditevent.id = numbered.id"
    )
    _run(schema_editor, POSTGRES_UP, SQLITE_UP)


def unplace(apps, schema_editor):
    _run(schema_editor, POSTGRES_DOWN, SQLITE_DOWN)


def refuse_every_change(apps, schema_editor):
    _run(schema_editor, POSTGRES_REFUSE_ALL, SQLITE_REFUSE_ALL)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_triggers'),
    ]

    operations = [
        migrations.RunPython(lift_guard, refuse_every_change),
        migrations.AddField(
            model_name='auditevent',
            name='seal',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='seq',
            field=models.BigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='prev_hash',
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.RunPython(place_and_guard, unplace),
    ]
