"""The demo ketamine log: stock, draws and counts at each location, loaded once."""

import pytest
from django.core.management import call_command

from dendrite.clinics.models import Location
from dendrite.clinics.registration import dea_number_ok
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
        assert dea_number_ok(location.dea_number) and location.state_registration_number
        location.full_clean()


def test_the_demo_shows_the_daily_count_banner_only_on_a_later_day_without_a_count():
    import datetime as dt

    import time_machine
    from django.urls import reverse

    from dendrite.accounts.models import Role, User
    from dendrite.conftest import signed_in

    monday_eleven = dt.datetime(2026, 11, 30, 16, 0, tzinfo=dt.UTC)  # 11 AM in both
    with time_machine.travel(monday_eleven, tick=False):
        call_command("load_demo", "--quiet")
    for day, banner in ((monday_eleven, False), (monday_eleven + dt.timedelta(days=1), True)):
        with time_machine.travel(day, tick=False):
            for location in Location.objects.all():
                nurse = User.objects.filter(locations=location, role=Role.NURSE).first()
                page = signed_in(nurse).get(reverse("controlled:log", args=[location.pk]))
                assert (b"daily count has not been signed" in page.content) is banner
