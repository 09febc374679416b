"""The demo charts show outcome trends: a remission, and a relapse with its booster task."""

import pytest
from django.core.management import call_command

from dendrite.accounts.models import Role, User
from dendrite.clinics.models import Location
from dendrite.outcomes.chart import outcomes_section
from dendrite.patients.models import Patient
from dendrite.worklist.access import my_tasks
from dendrite.worklist.models import Kind, StaffTask

pytestmark = pytest.mark.django_db


def test_each_location_shows_a_remission_and_a_booster_review():
    call_command("load_demo", "--quiet")
    call_command("load_demo", "--quiet")  # idempotent
    for location in Location.objects.all():
        prescriber = User.objects.filter(locations=location, role=Role.PRESCRIBER).first()
        first, second = Patient.objects.filter(location=location).order_by("pk")[:2]
        words = [o.words for o in outcomes_section(first, prescriber)["outcomes"]]
        assert words[1].startswith("Remission · Response")  # PHQ-9 (after GAD-7)
        relapsed = outcomes_section(second, prescriber)["outcomes"][1].status
        assert relapsed.baseline is not None and relapsed.response is False
        task = StaffTask.objects.get(patient=second, kind=Kind.BOOSTER_REVIEW)
        assert task in my_tasks(prescriber)
    assert StaffTask.objects.filter(kind=Kind.BOOSTER_REVIEW).count() == Location.objects.count()
