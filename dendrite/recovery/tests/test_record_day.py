"""Saving a day: one row per patient per day, the clinician's record wins over the
diary, bad values refused, every save audited and the patient reviewed after commit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from dendrite.audit.models import AuditEvent
from dendrite.recovery import actions
from dendrite.recovery.models import DrinkingDay, Source

from .conftest import TODAY


def test_a_second_save_of_the_same_day_changes_it(alice, frozen) -> None:
    row, created = actions.record_day(alice, day=TODAY, drinks=Decimal(2), source=Source.DIARY)
    assert created
    again, created = actions.record_day(
        alice, day=TODAY, drinks=Decimal(3), source=Source.DIARY, craving=4, note=" a party "
    )
    assert not created
    assert again.pk == row.pk
    assert DrinkingDay.objects.get().drinks == 3
    assert DrinkingDay.objects.get().note == "a party"


def test_the_database_refuses_a_second_row_for_a_day(alice, frozen) -> None:
    actions.record_day(alice, day=TODAY, drinks=Decimal(2), source=Source.DIARY)
    with pytest.raises(IntegrityError), transaction.atomic():
        DrinkingDay.objects.create(patient=alice, day=TODAY, drinks=1, source=Source.TLFB)


@pytest.mark.parametrize(
    ("day", "drinks"),
    [(TODAY + dt.timedelta(days=1), 1), (TODAY, -1), (TODAY, 61)],
    ids=["future", "negative", "absurd"],
)
def test_bad_days_are_refused_and_nothing_saved(alice, frozen, day, drinks) -> None:
    with pytest.raises(ValueError):
        actions.record_day(alice, day=day, drinks=Decimal(drinks), source=Source.DIARY)
    assert not DrinkingDay.objects.exists()


def test_sixty_drinks_is_the_most_that_is_kept(alice, frozen) -> None:
    actions.record_day(alice, day=TODAY, drinks=Decimal(60), source=Source.DIARY)
    assert DrinkingDay.objects.get().drinks == 60


def test_the_diary_cannot_change_a_day_recorded_with_staff(alice, nurse, frozen) -> None:
    actions.record_day(alice, day=TODAY, drinks=Decimal(5), source=Source.TLFB, by=nurse)
    with pytest.raises(actions.DayRecordedWithStaff):
        actions.record_day(alice, day=TODAY, drinks=Decimal(0), source=Source.DIARY)
    assert DrinkingDay.objects.get().drinks == 5


def test_staff_may_correct_a_diary_day_and_it_is_audited_with_the_source(
    alice, nurse, frozen
) -> None:
    actions.record_day(alice, day=TODAY, drinks=Decimal(5), source=Source.DIARY)
    actions.record_day(alice, day=TODAY, drinks=Decimal(3), source=Source.STAFF, by=nurse)
    row = DrinkingDay.objects.get()
    assert (row.drinks, row.source, row.entered_by) == (3, Source.STAFF, nurse)
    events = AuditEvent.objects.filter(action="recovery.drinkingday.save").order_by("pk")
    assert [e.actor_username for e in events] == [actions.DIARY, nurse.username]
    assert events[1].detail == {"source": "staff", "created": False, "was": "diary"}
    assert str(events[1].patient_id) == str(alice.pk)


def test_a_followback_saves_every_day_or_none(alice, nurse, frozen) -> None:
    days = {TODAY - dt.timedelta(days=2): Decimal(1), TODAY - dt.timedelta(days=1): Decimal(0)}
    assert actions.record_followback(alice, days, by=nurse) == 2
    assert DrinkingDay.objects.filter(source=Source.TLFB).count() == 2
    with pytest.raises(ValueError):
        actions.record_followback(
            alice, {TODAY - dt.timedelta(days=3): Decimal(1), TODAY + dt.timedelta(1): 1}, by=nurse
        )
    assert DrinkingDay.objects.count() == 2
