"""Booking one appointment (actions.book): every resource respected, every refusal
clear, and the database itself refusing a double booking."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Chair, Closure
from dendrite.scheduling import actions
from dendrite.scheduling.models import Appointment, Kind, Status, TimeOff, WorkingHours

from .conftest import clear_for_infusions, local, make_appointment, next_weekday, type_at

pytestmark = pytest.mark.django_db


def test_it_books_an_infusion_with_a_nurse_and_a_chair(alice, nurse, front_desk, infusion, monday):
    clear_for_infusions(alice, nurse)
    start = local(alice.location, monday, 9)
    appointment = actions.book(alice, infusion, starts_at=start, by=front_desk)
    assert appointment.staff == nurse
    assert appointment.chair == alice.location.chairs.get()
    assert appointment.staff_ends_at - start == dt.timedelta(minutes=40)
    assert appointment.ends_at - start == dt.timedelta(minutes=100)
    assert appointment.status == Status.BOOKED
    event = AuditEvent.objects.get(action="scheduling.appointment.book")
    assert event.patient_id == str(alice.pk)


def test_it_books_a_consultation_with_a_prescriber_and_no_chair(
    alice, prescriber, front_desk, consultation, monday
):
    appointment = actions.book(
        alice, consultation, starts_at=local(alice.location, monday, 10), by=front_desk
    )
    assert appointment.staff == prescriber
    assert appointment.chair is None


def test_it_refuses_an_infusion_without_a_signed_treatment_consent(
    alice, nurse, front_desk, infusion, monday
):
    with pytest.raises(actions.Refused, match="treatment consent"):
        actions.book(alice, infusion, starts_at=local(alice.location, monday, 9), by=front_desk)
    assert not Appointment.objects.exists()


def test_it_refuses_a_time_in_the_past(alice, prescriber, front_desk, consultation):
    past = local(alice.location, next_weekday(0, weeks=-2), 10)
    with pytest.raises(actions.Refused, match="already passed"):
        actions.book(alice, consultation, starts_at=past, by=front_desk)


@pytest.mark.parametrize(
    "hour, minute",
    [(7, 45), (17, 15), (18, 0), (3, 0)],  # before opening; ends after 18:00; at and after closing
)
def test_it_refuses_a_visit_outside_opening_hours(
    alice, prescriber, front_desk, consultation, monday, hour, minute
):
    with pytest.raises(actions.Refused, match="opening hours"):
        actions.book(
            alice, consultation, starts_at=local(alice.location, monday, hour, minute),
            by=front_desk,
        )  # fmt: skip


def test_the_last_visit_of_the_day_may_end_at_closing(
    alice, prescriber, front_desk, consultation, monday
):
    actions.book(alice, consultation, starts_at=local(alice.location, monday, 17), by=front_desk)


def test_it_refuses_a_closed_day_and_the_weekend(
    alice, prescriber, front_desk, consultation, monday
):
    Closure.objects.create(
        location=alice.location, start_date=monday, end_date=monday, reason="Holiday"
    )
    with pytest.raises(actions.Refused, match="closed"):
        actions.book(
            alice, consultation, starts_at=local(alice.location, monday, 10), by=front_desk
        )
    saturday = monday + dt.timedelta(days=5)
    with pytest.raises(actions.Refused, match="closed"):
        actions.book(
            alice, consultation, starts_at=local(alice.location, saturday, 10), by=front_desk
        )


def test_it_refuses_a_chair_that_is_taken(alice, bob, nurse, front_desk, infusion, monday, boston):
    from dendrite.conftest import make_user

    make_user("nurse2", "nurse", boston)  # a second nurse is free, but the only chair is not
    clear_for_infusions(alice, nurse)
    clear_for_infusions(bob, nurse)
    actions.book(alice, infusion, starts_at=local(boston, monday, 9), by=front_desk)
    with pytest.raises(actions.Refused, match="chair"):
        actions.book(bob, infusion, starts_at=local(boston, monday, 10), by=front_desk)
    # The chair is free again once alice's recovery ends at 10:40.
    actions.book(bob, infusion, starts_at=local(boston, monday, 10, 45), by=front_desk)


def test_a_second_chair_takes_the_overlapping_infusion(
    alice, bob, nurse, front_desk, infusion, monday, boston
):
    from dendrite.conftest import make_user

    make_user("nurse2", "nurse", boston)
    Chair.objects.create(location=boston, name="Chair 2")
    clear_for_infusions(alice, nurse)
    clear_for_infusions(bob, nurse)
    first = actions.book(alice, infusion, starts_at=local(boston, monday, 9), by=front_desk)
    second = actions.book(bob, infusion, starts_at=local(boston, monday, 9), by=front_desk)
    assert first.chair != second.chair and first.staff != second.staff


def test_a_nurse_is_free_again_after_the_infusion_but_not_during_it(
    alice, bob, nurse, front_desk, infusion, monday, boston
):
    Chair.objects.create(location=boston, name="Chair 2")
    clear_for_infusions(alice, nurse)
    clear_for_infusions(bob, nurse)
    actions.book(alice, infusion, starts_at=local(boston, monday, 9), by=front_desk)
    with pytest.raises(actions.Refused, match="Nobody"):
        actions.book(bob, infusion, starts_at=local(boston, monday, 9, 30), by=front_desk)
    actions.book(bob, infusion, starts_at=local(boston, monday, 9, 40), by=front_desk)


def test_it_refuses_a_patient_already_booked_then(
    alice, prescriber, nurse, front_desk, consultation, monday, boston
):
    clear_for_infusions(alice, nurse)
    actions.book(
        alice, type_at(boston, Kind.INFUSION), starts_at=local(boston, monday, 9), by=front_desk
    )
    with pytest.raises(actions.Refused, match="already has an appointment"):
        actions.book(alice, consultation, starts_at=local(boston, monday, 10), by=front_desk)


def test_it_respects_working_hours_and_time_off(
    alice, prescriber, front_desk, consultation, monday, boston
):
    WorkingHours.objects.create(
        staff=prescriber, location=boston, weekday=0, starts=dt.time(12), ends=dt.time(16)
    )
    with pytest.raises(actions.Refused, match="Nobody"):
        actions.book(alice, consultation, starts_at=local(boston, monday, 10), by=front_desk)
    TimeOff.objects.create(
        staff=prescriber, starts_at=local(boston, monday, 13), ends_at=local(boston, monday, 14)
    )
    with pytest.raises(actions.Refused, match="Nobody"):
        actions.book(alice, consultation, starts_at=local(boston, monday, 12, 30), by=front_desk)
    actions.book(alice, consultation, starts_at=local(boston, monday, 14), by=front_desk)


def test_a_cancelled_appointment_frees_its_time(
    alice, bob, prescriber, front_desk, consultation, monday, boston
):
    first = actions.book(alice, consultation, starts_at=local(boston, monday, 10), by=front_desk)
    actions.cancel(first, by=front_desk, reason="Patient asked")
    actions.book(bob, consultation, starts_at=local(boston, monday, 10), by=front_desk)


@pytest.mark.parametrize("resource", ["patient", "staff", "chair"])
def test_the_database_refuses_an_overlap_whatever_the_code(
    alice, bob, nurse, boston, monday, resource
):
    from dendrite.conftest import make_user

    other_nurse = make_user("nurse2", "nurse", boston)
    chair2 = Chair.objects.create(location=boston, name="Chair 2")
    make_appointment(alice, Kind.INFUSION, local(boston, monday, 9), nurse)
    clash = {
        "patient": {"patient": alice, "staff": other_nurse, "chair": chair2},
        "staff": {"patient": bob, "staff": nurse, "chair": chair2},
        "chair": {"patient": bob, "staff": other_nurse, "chair": boston.chairs.get(name="Chair 1")},
    }[resource]
    with pytest.raises(IntegrityError), transaction.atomic():
        make_appointment(
            clash.pop("patient"), Kind.INFUSION, local(boston, monday, 9, 30), clash.pop("staff"),
            **clash,
        )  # fmt: skip


def test_the_database_allows_back_to_back_and_released_overlaps(alice, bob, nurse, boston, monday):
    first = make_appointment(alice, Kind.INFUSION, local(boston, monday, 9), nurse)
    make_appointment(bob, Kind.INFUSION, first.ends_at, nurse)  # touching, not overlapping
    Appointment.objects.filter(pk=first.pk).update(status=Status.CANCELLED)
    make_appointment(alice, Kind.INFUSION, local(boston, monday, 9), nurse)
