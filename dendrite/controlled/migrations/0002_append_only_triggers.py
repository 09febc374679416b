"""Install the triggers that refuse any change to the controlled-substance log
(see controlled/triggers.py)."""

from django.db import migrations

from dendrite.controlled import triggers


def create(apps, schema_editor):
    triggers.install(schema_editor, schema_editor.connection.vendor)


def drop(apps, schema_editor):
    triggers.remove(schema_editor, schema_editor.connection.vendor)


class Migration(migrations.Migration):
    dependencies = [("controlled", "0001_controlled_substance_log")]
    operations = [migrations.RunPython(create, drop)]
