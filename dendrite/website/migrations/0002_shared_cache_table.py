"""The database cache's table, so that every app process counts rate limits together.

settings.py uses it whenever no Redis URL is set; creating it here means `migrate`
(and so `make run`, `make test` and a production deploy) always has it. The table is
made whatever the cache setting says, so switching from Redis back needs no extra step.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "dendrite_cache"


def create(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("website", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
