"""The demo shows a consultation request on a lead and the day rules at both locations."""

import pytest
from django.core.management import call_command

from dendrite.leads.models import ConsultationRequest
from dendrite.scheduling.models import DayRules

pytestmark = pytest.mark.django_db


def test_each_location_has_a_requested_consultation_and_day_rules():
    call_command("load_demo", "--quiet")
    call_command("load_demo", "--quiet")  # idempotent
    requests = ConsultationRequest.objects.select_related("lead", "location")
    assert sorted(r.location.slug for r in requests) == ["boston", "west-hartford"]
    assert all(r.lead.location_id == r.location_id for r in requests)
    assert DayRules.objects.count() == 2
