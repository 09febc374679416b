from django.db import migrations

from dendrite.scheduling import overlaps


def install(apps, schema_editor):
    overlaps.install(schema_editor)


def remove(apps, schema_editor):
    overlaps.remove(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
