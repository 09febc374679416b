"""The demo ketamine log: stock, draws and counts at each location, loaded once."""

import pytest
from django.core.management import call_command

from dendrite.clinics.models import Location
from dendrite.controlled import balances
from dendrite.controlled.models import Count, Movement, Vial

from .conftest import D

pytestmark = pytest.mark.django_db


def test_the_demo_log_loads_once_and_adds_up():
    call_command("load_demo", "--quiet")
    call_command("load_demo", "--quiet")
    for location in Location.objects.all():
        vials = Vial.objects.with_balance().filter(location=location).order_by("number")
        assert [balances.to_ml(v.balance_ml) for v in vials] == [D("8.40"), D(10), D(10), D(10)]
        assert Movement.objects.filter(location=location, kind="administered").count() == 2
        kinds = Count.objects.filter(location=location).values_list("kind", "has_discrepancy")
        assert sorted(kinds) == [("daily", False), ("initial", False)]
