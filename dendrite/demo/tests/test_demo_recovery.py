"""The demo's drinking records: a return to heavy drinking at Boston with its task, a
single lapse at West Hartford, signed plans for both; loaded once however often run."""

import pytest
from django.core.management import call_command

from dendrite.recovery import access, metrics
from dendrite.recovery.models import DrinkingDay, Plan
from dendrite.worklist.models import Kind, StaffTask

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_lapse_and_a_return_to_heavy_drinking() -> None:
    call_command("load_demo", quiet=True)
    counts = (DrinkingDay.objects.count(), Plan.objects.count(), StaffTask.objects.count())
    call_command("load_demo", quiet=True)
    assert (DrinkingDay.objects.count(), Plan.objects.count(), StaffTask.objects.count()) == counts
    statuses = {}
    for patient_id in DrinkingDay.objects.values_list("patient_id", flat=True).distinct():
        patient = DrinkingDay.objects.filter(patient_id=patient_id).first().patient
        days = access.drinks_by_day(patient)
        threshold = metrics.heavy_threshold(patient.sex)
        statuses[patient.location.slug] = metrics.status(days, threshold, metrics.Definition())
        assert Plan.objects.filter(patient=patient).count() == 2
    assert statuses["boston"].relapse_since is not None
    assert statuses["west-hartford"].relapse_since is None
    assert statuses["west-hartford"].last_lapse is not None
    [task] = StaffTask.objects.filter(kind=Kind.RE_ENGAGE)
    assert task.location.slug == "boston"
