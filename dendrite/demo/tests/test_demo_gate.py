"""The demo keeps showing a series under the booking gate, and one patient it stops."""

import pytest
from django.core.management import call_command

from dendrite.clinics.models import Location
from dendrite.patients.models import Patient
from dendrite.scheduling import gate

pytestmark = pytest.mark.django_db


def test_demo_series_patients_are_cleared_and_the_third_shows_the_gate():
    call_command("load_demo", "--quiet")
    for location in Location.objects.all():
        patients = Patient.objects.filter(location=location).order_by("mrn")
        series_patient = patients.get(series__isnull=False)
        assert gate.unmet(series_patient) == []
        assert [gate.unmet(patient) for patient in patients] == [[], [], [gate.Condition.HISTORY]]
