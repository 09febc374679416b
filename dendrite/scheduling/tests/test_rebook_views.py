"""Rebooking a missed infusion from its page: the free times inside the series' window,
a chosen one booked, a time outside refused, and only for a missed series infusion.
Boston's staff may; the clinic admin gets a 403; other locations a 404."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from dendrite.conftest import signed_in
from dendrite.scheduling import actions
from dendrite.scheduling.models import Appointment, SeriesProtocol, Status

from .conftest import clear_for_infusions

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(alice, nurse, front_desk, boston, monday):
    clear_for_infusions(alice, nurse)
    protocol = SeriesProtocol.objects.get(location=boston)
    plan = actions.preview_series(alice, protocol, first_day=monday, preferred_time=dt.time(9))
    booked = actions.book_series(alice, protocol, starts=[s.start for s in plan], by=front_desk)
    return list(booked.appointments.order_by("starts_at"))


def url(appointment: Appointment) -> str:
    return reverse("scheduling:rebook", args=[appointment.pk])


def test_a_cancelled_infusion_is_rebooked_at_a_free_time_in_its_window(series, front_desk):
    missed = actions.cancel(series[2], by=front_desk, reason="Unwell")
    client = signed_in(front_desk)
    page = client.get(url(missed))
    assert page.status_code == 200
    times = [time.value for _, day in page.context["times"] for time in day]
    assert times
    response = client.post(url(missed), {"starts_at": times[0]})
    again = Appointment.objects.get(rebooks=missed)
    assert response.url == reverse("scheduling:appointment", args=[again.pk])
    assert again.series_number == 3 and again.status == Status.BOOKED
    assert client.get(url(missed)).status_code == 404  # rebooked once is enough


def test_a_time_outside_the_window_is_refused_and_nothing_is_booked(series, front_desk):
    missed = actions.cancel(series[2], by=front_desk, reason="Unwell")
    outside = (series[3].starts_at - dt.timedelta(hours=2)).isoformat()
    response = signed_in(front_desk).post(url(missed), {"starts_at": outside})
    assert response.status_code == 400
    assert "window" in response.content.decode()
    assert not Appointment.objects.filter(rebooks=missed).exists()


def test_no_time_chosen_is_a_field_error(series, front_desk):
    missed = actions.cancel(series[2], by=front_desk, reason="Unwell")
    response = signed_in(front_desk).post(url(missed), {"starts_at": ""})
    assert response.status_code == 400
    assert "Please choose one of the free times." in response.content.decode()


def test_a_no_show_is_rebooked_too(series, front_desk):
    with time_machine.travel(series[1].starts_at + dt.timedelta(hours=1)):
        missed = actions.change_status(series[1], Status.NO_SHOW, by=front_desk)
        assert signed_in(front_desk).get(url(missed)).status_code == 200


def test_only_a_missed_series_infusion_can_be_rebooked(series, front_desk):
    assert signed_in(front_desk).get(url(series[0])).status_code == 404


def test_anonymous_wrong_role_and_other_location(
    series, front_desk, clinic_admin, prescriber_hartford
):
    missed = actions.cancel(series[2], by=front_desk, reason="Unwell")
    from django.test import Client

    assert Client().get(url(missed)).status_code == 302
    assert signed_in(clinic_admin).get(url(missed)).status_code == 200  # admins run the day
    assert signed_in(prescriber_hartford).get(url(missed)).status_code == 404
