from django.db import migrations

from dendrite.scheduling.models import DEFAULT_SERIES, DEFAULT_TYPES, Kind


def add_defaults(apps, schema_editor):
    """Locations that exist before scheduling get the standard types and series."""
    Location = apps.get_model("clinics", "Location")
    AppointmentType = apps.get_model("scheduling", "AppointmentType")
    SeriesProtocol = apps.get_model("scheduling", "SeriesProtocol")
    for location in Location.objects.all():
        for kind, values in DEFAULT_TYPES.items():
            AppointmentType.objects.get_or_create(location=location, kind=kind, defaults=values)
        infusion = AppointmentType.objects.get(location=location, kind=Kind.INFUSION)
        SeriesProtocol.objects.get_or_create(
            location=location, appointment_type=infusion, defaults=DEFAULT_SERIES
        )


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0002_no_double_booking")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
