"""Booking an induction series (actions.preview_series / book_series / rebook): one
action, all or nothing, the protocol kept."""

import datetime as dt

import pytest
import time_machine

from dendrite.audit.models import AuditEvent
from dendrite.scheduling import actions
from dendrite.scheduling.models import Appointment, Kind, SeriesProtocol, Status

from .conftest import clear_for_infusions, local, make_appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def protocol(boston) -> SeriesProtocol:
    return SeriesProtocol.objects.get(location=boston)


def test_the_default_protocol_is_six_infusions_48_hours_apart_within_three_weeks(protocol):
    assert (protocol.infusions, protocol.min_gap_hours, protocol.span_days) == (6, 48, 21)


def test_a_preview_books_nothing_and_a_confirmed_series_books_all_six(
    alice, nurse, front_desk, protocol, monday
):
    clear_for_infusions(alice, nurse)
    plan = actions.preview_series(alice, protocol, first_day=monday, preferred_time=dt.time(9))
    assert len(plan) == 6
    assert not Appointment.objects.exists()
    series = actions.book_series(alice, protocol, starts=[s.start for s in plan], by=front_desk)
    booked = list(series.appointments.order_by("starts_at"))
    assert [a.series_number for a in booked] == [1, 2, 3, 4, 5, 6]
    assert [a.local_start.strftime("%a %H:%M") for a in booked] == [
        "Mon 09:00", "Wed 09:00", "Fri 09:00", "Mon 09:00", "Wed 09:00", "Fri 09:00",
    ]  # fmt: skip
    assert booked[-1].starts_at - booked[0].starts_at <= dt.timedelta(days=21)
    assert AuditEvent.objects.filter(action="scheduling.appointment.book").count() == 6
    assert AuditEvent.objects.filter(action="scheduling.series.book").count() == 1


def test_the_plan_works_around_existing_bookings(alice, bob, nurse, front_desk, protocol, monday):
    clear_for_infusions(alice, nurse)
    make_appointment(
        bob, Kind.INFUSION, local(alice.location, monday + dt.timedelta(days=2), 9), nurse
    )
    plan = actions.preview_series(alice, protocol, first_day=monday, preferred_time=dt.time(9))
    wednesday = plan[1].start.astimezone(alice.location.tz)
    assert wednesday.date() == monday + dt.timedelta(days=2)
    assert wednesday.time() == dt.time(10, 45)  # the nearest free time after bob's chair frees


def test_a_series_books_all_or_nothing(alice, bob, nurse, front_desk, protocol, monday):
    clear_for_infusions(alice, nurse)
    plan = actions.preview_series(alice, protocol, first_day=monday, preferred_time=dt.time(9))
    make_appointment(bob, Kind.INFUSION, plan[4].start, nurse)  # someone takes the fifth time
    with pytest.raises(actions.Refused, match="plan the series again"):
        actions.book_series(alice, protocol, starts=[s.start for s in plan], by=front_desk)
    assert not Appointment.objects.filter(patient=alice).exists()
    assert not alice.series.exists()


def test_forged_times_that_break_the_protocol_are_refused(
    alice, nurse, front_desk, protocol, monday
):
    clear_for_infusions(alice, nurse)
    plan = actions.preview_series(alice, protocol, first_day=monday)
    starts = [s.start for s in plan]
    starts[1] = starts[0] + dt.timedelta(hours=24)
    with pytest.raises(actions.Refused, match="48 hours"):
        actions.book_series(alice, protocol, starts=starts, by=front_desk)
    with pytest.raises(actions.Refused, match="6 infusions"):
        actions.book_series(alice, protocol, starts=starts[:3], by=front_desk)
    assert not Appointment.objects.exists()


def test_a_series_needs_a_treatment_consent_and_a_future_first_day(alice, nurse, protocol, monday):
    with pytest.raises(actions.Refused, match="treatment consent"):
        actions.preview_series(alice, protocol, first_day=monday)
    clear_for_infusions(alice, nurse)
    with pytest.raises(actions.Refused, match="past"):
        actions.preview_series(alice, protocol, first_day=monday - dt.timedelta(days=30))


def test_no_plan_is_a_clear_refusal(alice, nurse, protocol, monday):
    clear_for_infusions(alice, nurse)
    nurse.is_active = False
    nurse.save()
    with pytest.raises(actions.Refused, match="No 6 free times"):
        actions.preview_series(alice, protocol, first_day=monday)


def booked_series(alice, nurse, front_desk, protocol, monday):
    clear_for_infusions(alice, nurse)
    plan = actions.preview_series(alice, protocol, first_day=monday, preferred_time=dt.time(9))
    series = actions.book_series(alice, protocol, starts=[s.start for s in plan], by=front_desk)
    return list(series.appointments.order_by("starts_at"))


def test_a_missed_infusion_is_rebooked_within_the_protocol_window(
    alice, nurse, front_desk, protocol, monday
):
    booked = booked_series(alice, nurse, front_desk, protocol, monday)
    third = booked[2]  # Friday 09:00; the second is Wednesday, the fourth next Monday
    with time_machine.travel(third.starts_at + dt.timedelta(hours=1)):
        missed = actions.change_status(third, Status.NO_SHOW, by=front_desk)
        slots = actions.rebook_slots(missed)
        assert slots
        assert all(booked[1].starts_at + dt.timedelta(hours=48) <= s.start for s in slots)
        assert all(s.start <= booked[3].starts_at - dt.timedelta(hours=48) for s in slots)
        again = actions.rebook(missed, starts_at=slots[0].start, by=front_desk)
    assert again.series_number == 3 and again.rebooks == missed
    with pytest.raises(actions.Refused, match="already been rebooked"):
        actions.rebook_slots(missed)


def test_a_rebooking_outside_the_window_is_refused(alice, nurse, front_desk, protocol, monday):
    booked = booked_series(alice, nurse, front_desk, protocol, monday)
    cancelled = actions.cancel(booked[2], by=front_desk, reason="Unwell")
    with pytest.raises(actions.Refused, match="window"):
        actions.rebook(
            cancelled, starts_at=booked[3].starts_at - dt.timedelta(hours=1), by=front_desk
        )
    with pytest.raises(actions.Refused, match="missed or cancelled"):
        actions.rebook(booked[4], starts_at=booked[4].starts_at, by=front_desk)
