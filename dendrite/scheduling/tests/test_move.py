"""Moving an appointment to another time (actions.move and its page): the old one is
released as moved (not a late cancel, offered to the waitlist), the new one takes its
place — in its series too — and a series' protocol still holds."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from dendrite.conftest import signed_in
from dendrite.scheduling import actions
from dendrite.scheduling.models import Appointment, Reminder, SeriesProtocol, Status

from .conftest import clear_for_infusions, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def consult(alice, prescriber, front_desk, consultation, boston, monday):
    return actions.book(alice, consultation, starts_at=local(boston, monday, 10), by=front_desk)


def test_a_consultation_moves_and_the_old_time_is_released(
    consult, bob, front_desk, boston, monday
):
    with time_machine.travel(consult.starts_at - dt.timedelta(hours=2)):  # inside 24 hours
        moved = actions.move(consult, starts_at=local(boston, monday, 14), by=front_desk)
    consult.refresh_from_db()
    assert consult.status == Status.CANCELLED and not consult.late_cancel
    assert moved.rebooks == consult and moved.local_start.hour == 14
    assert not consult.reminders.filter(status=Reminder.Status.PENDING).exists()
    # The old time is free for someone else.
    actions.book(bob, consult.appointment_type, starts_at=consult.starts_at, by=front_desk)


def test_a_move_onto_a_taken_time_or_the_past_is_refused_and_nothing_changes(
    consult, bob, front_desk, boston, monday
):
    actions.book(bob, consult.appointment_type, starts_at=local(boston, monday, 14), by=front_desk)
    with pytest.raises(actions.Refused, match="Nobody"):
        actions.move(consult, starts_at=local(boston, monday, 14, 30), by=front_desk)
    with pytest.raises(actions.Refused, match="passed"):
        actions.move(
            consult, starts_at=local(boston, monday, 9) - dt.timedelta(days=30), by=front_desk
        )
    consult.refresh_from_db()
    assert consult.status == Status.BOOKED
    assert Appointment.objects.filter(patient=consult.patient).count() == 1


def test_a_move_may_overlap_its_own_old_time(consult, front_desk, boston, monday):
    moved = actions.move(consult, starts_at=local(boston, monday, 10, 30), by=front_desk)
    assert moved.local_start.minute == 30


def test_a_series_infusion_moves_only_within_its_protocol(alice, nurse, front_desk, boston, monday):
    clear_for_infusions(alice, nurse)
    protocol = SeriesProtocol.objects.get(location=boston)
    plan = actions.preview_series(alice, protocol, first_day=monday, preferred_time=dt.time(9))
    booked = list(
        actions.book_series(
            alice, protocol, starts=[s.start for s in plan], by=front_desk
        ).appointments.order_by("starts_at")
    )
    third = booked[2]  # Friday; the second is Wednesday 09:00, the fourth Monday 09:00
    with pytest.raises(actions.Refused, match="window"):
        actions.move(third, starts_at=booked[1].starts_at + dt.timedelta(hours=24), by=front_desk)
    later = third.starts_at + dt.timedelta(hours=3)
    moved = actions.move(third, starts_at=later, by=front_desk)
    assert (moved.series_id, moved.series_number) == (third.series_id, 3)
    assert all(s.start >= booked[1].starts_at + dt.timedelta(hours=48) for s in actions.move_slots(
        moved, monday, monday + dt.timedelta(days=6)
    ))  # fmt: skip


def test_the_move_page_lists_free_times_and_moves(consult, front_desk, monday):
    client = signed_in(front_desk)
    url = reverse("scheduling:move", args=[consult.pk])
    page = client.get(url + f"?day={monday.isoformat()}")
    assert page.status_code == 200
    times = [time.value for _, day in page.context["times"] for time in day]
    assert consult.starts_at.isoformat() not in times and times
    response = client.post(url, {"starts_at": times[-1], "version": consult.version})
    moved = Appointment.objects.get(rebooks=consult)
    assert response.url == reverse("scheduling:appointment", args=[moved.pk])
    history = client.get(reverse("scheduling:appointment", args=[consult.pk])).context["history"]
    assert history[-1][2] == "Moved to another time"


def test_the_move_page_refuses_bad_input_and_stale_versions(consult, front_desk):
    client = signed_in(front_desk)
    url = reverse("scheduling:move", args=[consult.pk])
    assert client.post(url, {"starts_at": "", "version": consult.version}).status_code == 400
    actions.change_status(consult, Status.CONFIRMED, by=front_desk)
    later = (consult.starts_at + dt.timedelta(hours=4)).isoformat()
    response = client.post(url, {"starts_at": later, "version": consult.version - 1})
    assert response.status_code == 400 and "colleague" in response.content.decode()
    consult.refresh_from_db()
    assert consult.status == Status.CONFIRMED


def test_the_move_page_guards(consult, front_desk, clinic_admin, prescriber_hartford):
    url = reverse("scheduling:move", args=[consult.pk])
    assert Client().get(url).status_code == 302
    assert signed_in(clinic_admin).get(url).status_code == 200  # admins manage the schedule
    assert signed_in(prescriber_hartford).get(url).status_code == 404
    actions.cancel(consult, by=front_desk, reason="No longer needed")
    assert signed_in(front_desk).get(url).status_code == 404
