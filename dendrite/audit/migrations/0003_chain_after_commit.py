"""Entries are written sealed and chained afterwards, in batches (audit/log.py): the
chain's place `seq`, the entry's own `seal`, links NULL until chained. The entries
already there are chained: they get their places in id order (the order they were
chained in). The update trigger is replaced by one that lets the chainer through."""

from django.db import migrations, models

from dendrite.audit import triggers
from dendrite.dbguard import Guard


def lift_guard(apps, schema_editor):
    triggers.remove(schema_editor, schema_editor.connection.vendor)


def place_and_guard(apps, schema_editor):
    schema_editor.execute(
        "UPDATE audit_auditevent SET seq = numbered.place FROM ("
        "SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS place FROM audit_auditevent"
        ") AS numbered WHERE audit_auditevent.id = numbered.id"
    )
    triggers.install(schema_editor, schema_editor.connection.vendor)


def unplace(apps, schema_editor):
    triggers.remove(schema_editor, schema_editor.connection.vendor)


def refuse_every_change(apps, schema_editor):
    """Back to 0002's guard: no update at all (entries not chained yet stop a downgrade)."""
    refuse = "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    sqlite = [
        f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {triggers.TABLE} {refuse}",
        f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON {triggers.TABLE} {refuse}",
    ]
    postgres = triggers.POSTGRES_UP.replace(triggers.CHAINING_PG, "FALSE")
    Guard(postgres, triggers.POSTGRES_DOWN, sqlite, triggers.SQLITE_DOWN).install(
        schema_editor, schema_editor.connection.vendor
    )


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
