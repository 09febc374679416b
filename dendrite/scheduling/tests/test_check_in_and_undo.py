"""The day's steps follow the clock: check-in only within the location's window (its
DayRules, or 60 minutes before to 120 after the start), the next steps that fit the
visit, and undoing the last step within the location's undo time, audited."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.conftest import signed_in
from dendrite.scheduling import actions
from dendrite.scheduling.day import next_status_actions, undo_label
from dendrite.scheduling.models import DayRules, Kind, Status

from .conftest import local, make_appointment

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 12, 7)


@pytest.fixture
def visit(alice, prescriber, boston):
    return make_appointment(alice, Kind.CONSULTATION, local(boston, MONDAY, 9), prescriber)


def at(visit, minutes: int):
    return time_machine.travel(visit.starts_at + dt.timedelta(minutes=minutes), tick=False)


def test_an_appointment_tomorrow_cannot_be_checked_in_today(visit, front_desk):
    with at(visit, -24 * 60):
        assert Status.CHECKED_IN not in dict(next_status_actions(visit, front_desk))
        with pytest.raises(actions.Refused, match="Check-in opens at 8:00 AM on Monday"):
            actions.change_status(visit, Status.CHECKED_IN, by=front_desk)


@pytest.mark.parametrize(
    ("minutes", "open_"), [(-61, False), (-60, True), (120, True), (121, False)]
)
def test_the_default_window_is_an_hour_before_to_two_hours_after(visit, front_desk, minutes, open_):
    with at(visit, minutes):
        assert (Status.CHECKED_IN in dict(next_status_actions(visit, front_desk))) is open_


def test_the_clinic_sets_its_own_window(visit, front_desk, boston):
    DayRules.objects.create(location=boston, check_in_opens_minutes=15, check_in_closes_minutes=30)
    with at(visit, -20), pytest.raises(actions.Refused, match="opens at 8:45 AM"):
        actions.change_status(visit, Status.CHECKED_IN, by=front_desk)
    with at(visit, 31), pytest.raises(actions.Refused, match="closed at 9:30 AM"):
        actions.change_status(visit, Status.CHECKED_IN, by=front_desk)
    with at(visit, -15):
        actions.change_status(visit, Status.CHECKED_IN, by=front_desk)


def test_after_check_in_a_consultation_offers_its_own_next_steps(visit, front_desk, prescriber):
    with at(visit, 0):
        actions.change_status(visit, Status.CHECKED_IN, by=front_desk)
        steps = dict(next_status_actions(visit, prescriber))
    assert list(steps) == [Status.IN_CONSULTATION, Status.DONE, Status.LEFT]
    assert steps[Status.LEFT] == "Left without being seen"


def test_the_last_step_may_be_undone_for_ten_minutes_and_the_audit_shows_it(
    visit, front_desk, boston
):
    with at(visit, 0):
        actions.change_status(visit, Status.CHECKED_IN, by=front_desk)
    with at(visit, 10):
        assert undo_label(visit) == "Undo “Checked in”"
        actions.undo_status(visit, by=front_desk)
    visit.refresh_from_db()
    assert (visit.status, visit.previous_status) == (Status.BOOKED, "")
    event = AuditEvent.objects.get(action="scheduling.appointment.undo")
    assert event.detail == {"from": "checked_in", "to": "booked"}
    with at(visit, 11), pytest.raises(actions.Refused, match="can no longer be undone"):
        actions.undo_status(visit, by=front_desk)  # an undo is not undone


def test_an_undo_expires(visit, front_desk, boston):
    DayRules.objects.create(location=boston, undo_minutes=2)
    with at(visit, 0):
        actions.change_status(visit, Status.CHECKED_IN, by=front_desk)
    with at(visit, 3):
        assert undo_label(visit) is None
        with pytest.raises(actions.Refused, match="can no longer be undone"):
            actions.undo_status(visit, by=front_desk)
    visit.refresh_from_db()
    assert visit.status == Status.CHECKED_IN


def test_the_undo_button_works_from_the_appointment_page_and_shows_in_the_history(
    visit, front_desk
):
    page = reverse("scheduling:appointment", args=[visit.pk])
    with at(visit, -5):
        client = signed_in(front_desk)
        client.post(
            reverse("scheduling:change_status", args=[visit.pk]),
            {"status": "checked_in", "version": visit.version, "back": "appointment"},
        )
        html = client.get(page).content.decode()
        assert "Undo “Checked in”" in html
        response = client.post(
            reverse("scheduling:undo", args=[visit.pk]),
            {"version": visit.version + 1, "back": "appointment"},
        )
        assert response.url == page
        html = client.get(page).content.decode()
    assert "Undid “Checked in”" in html and "Marked “Checked in”" in html
    visit.refresh_from_db()
    assert visit.status == Status.BOOKED


def test_a_stale_undo_changes_nothing(visit, front_desk):
    with at(visit, 0):
        actions.change_status(visit, Status.CHECKED_IN, by=front_desk)
        response = signed_in(front_desk).post(
            reverse("scheduling:undo", args=[visit.pk]), {"version": 1}
        )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Status.CHECKED_IN


def test_other_locations_cannot_undo(visit, front_desk, prescriber_hartford):
    with at(visit, 0):
        actions.change_status(visit, Status.CHECKED_IN, by=front_desk)
        response = signed_in(prescriber_hartford).post(
            reverse("scheduling:undo", args=[visit.pk]), {"version": visit.version}
        )
    assert response.status_code == 404
