"""The demo ketamine log: stock, draws and counts at each location, loaded once."""

import pytest
from django.core.management import call_command

from dendrite.clinics.models import Location
from dendrite.controlled import balances
from dendrite.controlled.models import Count, Movement, Vial
from dendrite.infusions.models import Infusion

from .conftest import D

pytestmark = pytest.mark.django_db


def test_the_demo_log_loads_once_and_adds_up():
    call_command("load_demo", "--quiet")
    call_command("load_demo", "--quiet")
    for location in Location.objects.all():
        vials = Vial.objects.with_balance().filter(location=location).order_by("number")
        # The demo infusion (0.5 mg/kg for 79.8 kg: 40 mg, 0.80 mL of 50 mg/mL) drew from
        # vial 1 through the infusion record, so the log and the record agree.
        assert [balances.to_ml(v.balance_ml) for v in vials] == [D("9.20"), D(10), D(10), D(10)]
        (draw,) = Movement.objects.filter(location=location, kind="administered")
        infusion = Infusion.objects.get(location=location)
        assert infusion.vial_id == draw.vial_id == vials[0].pk
        assert draw.appointment_id == infusion.appointment_id
        assert (draw.drawn_ml, draw.given_ml, draw.wasted_ml) == (D("0.80"), D("0.80"), 0)
        assert draw.witness_id == infusion.verified_by_id
        kinds = Count.objects.filter(location=location).values_list("kind", "has_discrepancy")
        assert sorted(kinds) == [("daily", False), ("initial", False)]
