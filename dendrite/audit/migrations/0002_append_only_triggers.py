"""Install the triggers that refuse any change to the audit trail (see audit/triggers.py)."""

from django.db import migrations

from dendrite.audit import triggers


def create(apps, schema_editor):
    triggers.install(schema_editor, schema_editor.connection.vendor)


def drop(apps, schema_editor):
    triggers.remove(schema_editor, schema_editor.connection.vendor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
