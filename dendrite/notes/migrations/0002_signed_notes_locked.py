"""Install the triggers that refuse any change to a signed note or an addendum
(see notes/triggers.py)."""

from django.db import migrations

from dendrite.notes import triggers


def create(apps, schema_editor):
    triggers.install(schema_editor, schema_editor.connection.vendor)


def drop(apps, schema_editor):
    triggers.remove(schema_editor, schema_editor.connection.vendor)


class Migration(migrations.Migration):
    dependencies = [("notes", "0001_notes")]
    operations = [migrations.RunPython(create, drop)]
