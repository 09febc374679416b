"""The demo has a completed infusion with its whole record at each location."""

import pytest
from django.core.management import call_command

from dendrite.clinics.models import Location
from dendrite.infusions.models import Infusion

pytestmark = pytest.mark.django_db


def test_each_demo_location_has_a_completed_infusion_with_a_full_record():
    call_command("load_demo", "--quiet")
    call_command("load_demo", "--quiet")  # idempotent
    for location in Location.objects.all():
        infusion = Infusion.objects.get(location=location)
        assert infusion.stage == "ready" and infusion.appointment.status == "done"
        assert infusion.verified_by != infusion.dose_checks.first().by
        assert infusion.vital_signs.count() == 7 and infusion.adverse_events.count() == 1
        alert = infusion.alerts.get()
        assert alert.acknowledged_at and alert.raised_at < alert.acknowledged_at
        assert infusion.started_at < infusion.stopped_at < infusion.discharged_at
