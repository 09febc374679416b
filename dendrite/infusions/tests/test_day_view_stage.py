"""The day view shows each infusion's stage and overdue vital signs, to front desk too,
with the same number of queries however many infusions the day has."""

import datetime as dt

import pytest
from django.urls import reverse

from dendrite.clinics.models import Chair
from dendrite.conftest import make_patient, make_user, query_count, signed_in
from dendrite.infusions import actions
from dendrite.scheduling.models import Kind
from dendrite.scheduling.tests.conftest import clear_for_infusions, make_appointment

from .conftest import NOW, check_data, running, sign

pytestmark = pytest.mark.django_db


def day(location):
    return reverse(
        "scheduling:day", args=[location.pk, NOW.astimezone(location.tz).date().isoformat()]
    )


def test_front_desk_sees_the_stage_and_overdue_vitals_but_no_chairside_link(
    visit, order, nurse, nurse_two, front_desk, boston, time_machine
):
    running(visit, nurse, nurse_two, order)
    page = signed_in(front_desk).get(day(boston)).content.decode()
    assert "Infusion: Running" in page and "overdue" not in page
    assert reverse("infusions:chairside", args=[visit.pk]) not in page
    time_machine.move_to(NOW + dt.timedelta(minutes=16), tick=False)
    assert "vital signs overdue" in signed_in(front_desk).get(day(boston)).content.decode()
    assert (
        reverse("infusions:chairside", args=[visit.pk])
        in signed_in(nurse).get(day(boston)).content.decode()
    )


def test_the_day_view_queries_do_not_grow_with_infusions(
    visit, order, nurse, nurse_two, prescriber, boston
):
    running(visit, nurse, nurse_two, order)
    client = signed_in(nurse)
    few = query_count(lambda: client.get(day(boston)))
    for n in range(2, 5):
        chair = Chair.objects.create(location=boston, name=f"Chair {n}")
        patient = make_patient(boston, f"P{n}", "Tester")
        clear_for_infusions(patient, nurse)
        staff = make_user(f"n{n}_nurse", "nurse", boston)
        appointment = make_appointment(patient, Kind.INFUSION, NOW, staff, chair=chair)
        sign(appointment, prescriber)
        actions.record_check(appointment, by=nurse, data=check_data())
    many = query_count(lambda: client.get(day(boston)))
    assert many == few
