"""An appointment's day: allowed moves only, cancel with a reason, late cancels and
no-shows counted, stale changes refused (actions.change_status / cancel)."""

import datetime as dt

import pytest
import time_machine

from dendrite.audit.models import AuditEvent
from dendrite.scheduling import actions
from dendrite.scheduling.models import Kind, Status

from .conftest import clear_for_infusions, local, make_appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(alice, nurse, boston, monday):
    return make_appointment(alice, Kind.INFUSION, local(boston, monday, 9), nurse)


@pytest.fixture
def no_chairside_record(monkeypatch):
    """The schedule on its own, as if no app kept a chairside record (the infusions app
    registers one: test_chairside_steps.py)."""
    monkeypatch.setattr("dendrite.scheduling.chairside._registered", [])


def test_an_infusion_moves_through_its_day(visit, nurse, no_chairside_record):
    with time_machine.travel(visit.starts_at):
        for status in (
            Status.CONFIRMED,
            Status.CHECKED_IN,
            Status.IN_CHAIR,
            Status.RECOVERING,
            Status.DONE,
        ):
            visit = actions.change_status(visit, status, by=nurse)
            assert visit.status == status
    assert visit.version == 6
    assert AuditEvent.objects.filter(action="scheduling.appointment.status").count() == 5


def test_it_refuses_moves_out_of_order(visit, nurse):
    with pytest.raises(actions.Refused, match="cannot be marked done"):
        actions.change_status(visit, Status.DONE, by=nurse)
    with pytest.raises(actions.Refused, match="reason"):
        actions.change_status(visit, Status.CANCELLED, by=nurse)


def test_a_consultation_has_no_chair_step(alice, prescriber, boston, monday):
    visit = make_appointment(alice, Kind.CONSULTATION, local(boston, monday, 9), prescriber)
    with time_machine.travel(visit.starts_at):
        actions.change_status(visit, Status.CHECKED_IN, by=prescriber)
        with pytest.raises(actions.Refused, match="no chair"):
            actions.change_status(visit, Status.IN_CHAIR, by=prescriber)
        actions.change_status(visit, Status.IN_CONSULTATION, by=prescriber)
        actions.change_status(visit, Status.DONE, by=prescriber)


def test_a_no_show_only_after_the_start(visit, front_desk):
    with pytest.raises(actions.Refused, match="start time has passed"):
        actions.change_status(visit, Status.NO_SHOW, by=front_desk)
    with time_machine.travel(visit.starts_at + dt.timedelta(minutes=20)):
        actions.change_status(visit, Status.NO_SHOW, by=front_desk)


def test_a_stale_change_is_refused(visit, nurse, front_desk):
    drawn = visit.version
    actions.change_status(visit, Status.CONFIRMED, by=front_desk)
    with pytest.raises(actions.Refused, match="colleague"):
        actions.cancel(visit, by=nurse, reason="Duplicate", version=drawn)


def test_a_cancel_needs_a_reason_and_counts_late_inside_the_window(visit, front_desk):
    with pytest.raises(actions.Refused, match="reason"):
        actions.cancel(visit, by=front_desk, reason="   ")
    with time_machine.travel(visit.starts_at - dt.timedelta(hours=30)):
        early = actions.cancel(visit, by=front_desk, reason="Work trip")
    assert early.status == Status.CANCELLED and not early.late_cancel


def test_a_cancel_within_24_hours_is_late(visit, front_desk):
    with time_machine.travel(visit.starts_at - dt.timedelta(hours=3)):
        late = actions.cancel(visit, by=front_desk, reason="Car broke down")
    assert late.late_cancel
    event = AuditEvent.objects.get(action="scheduling.appointment.cancel")
    assert event.detail["late"] is True
    assert "Car" not in str(event.detail)


def test_the_patient_confirms_and_cancels_through_their_link(visit):
    actions.confirm_by_patient(visit)
    actions.confirm_by_patient(visit)  # a second click is harmless
    assert visit.status == Status.CONFIRMED
    actions.cancel_by_patient(visit, reason="Feeling better")
    assert visit.status == Status.CANCELLED
    with pytest.raises(actions.Refused, match="no longer"):
        actions.cancel_by_patient(visit, reason="again")


def test_a_cancelled_time_is_offered_to_the_first_patient_waiting(
    visit, bob, front_desk, run_worker
):
    from dendrite.scheduling.models import WaitlistEntry

    clear_for_infusions(bob, front_desk)  # an infusion is offered only to whom may have one
    day = visit.local_start.date()
    entry = WaitlistEntry.objects.create(
        patient=bob, location=visit.location, appointment_type=visit.appointment_type,
        earliest=day, latest=day, added_by=front_desk,
    )  # fmt: skip
    actions.cancel(visit, by=front_desk, reason="Moving away")
    run_worker()
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED
    assert entry.offered_starts_at == visit.starts_at


@time_machine.travel(dt.datetime(2026, 12, 7, 14, 0, tzinfo=dt.UTC), tick=False)
def test_only_nurses_and_prescribers_record_the_chairside_steps(
    alice, front_desk, nurse, boston, no_chairside_record
):
    from dendrite.scheduling.day import next_status_actions

    visit = make_appointment(alice, Kind.INFUSION, local(boston, dt.date(2026, 12, 7), 9), nurse)
    actions.change_status(visit, Status.CHECKED_IN, by=front_desk)
    assert Status.IN_CHAIR not in dict(next_status_actions(visit, front_desk))
    assert Status.IN_CHAIR in dict(next_status_actions(visit, nurse))
    with pytest.raises(actions.Refused, match="nurse or a prescriber"):
        actions.change_status(visit, Status.IN_CHAIR, by=front_desk)
    actions.change_status(visit, Status.IN_CHAIR, by=nurse)
