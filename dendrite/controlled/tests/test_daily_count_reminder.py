"""The daily count's reminder: the nurses of a location with ketamine in stock are told
once on an open day when no count is signed by the clinic's time; the log page shows a
banner until one is. Boston is open Monday to Friday, 8 to 6 (Eastern)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from dendrite.conftest import make_user, signed_in
from dendrite.controlled import actions, reminders
from dendrite.controlled.models import Count, DailyCountReminder, Vial
from dendrite.outbox.models import Email

pytestmark = pytest.mark.django_db

# Monday 30 November 2026 at 10:30 in Boston (EST, UTC−5); Saturday 5 December.
MONDAY_LATE = dt.datetime(2026, 11, 30, 15, 30, tzinfo=dt.UTC)
MONDAY_EARLY = dt.datetime(2026, 11, 30, 14, 59, tzinfo=dt.UTC)
SATURDAY_LATE = dt.datetime(2026, 12, 5, 15, 30, tzinfo=dt.UTC)
BANNER = b"daily count has not been signed"


def count_now(location, by):
    vials = Vial.objects.in_stock().filter(location=location)
    return actions.record_count(
        location=location, kind=Count.Kind.DAILY, timing=Count.Timing.OPENING,
        counted={v.pk: (Decimal(v.balance_ml), False) for v in vials}, explanation="", by=by,
    )  # fmt: skip


def reminder_emails():
    return Email.objects.filter(subject__startswith="Daily ketamine count")


def test_the_nurses_are_reminded_once_when_no_count_is_signed_on_an_open_day(
    boston, boston_vials, nurse, prescriber, hartford
):
    other_nurse = make_user("nina_nurse", "nurse", boston)
    make_user("hank_nurse", "nurse", hartford)  # West Hartford's nurse is not told
    with time_machine.travel(MONDAY_LATE, tick=False):
        call_command("remind_daily_counts")
        call_command("remind_daily_counts")
        assert reminders.sweep() == 0
    (email,) = reminder_emails()
    assert sorted(email.to) == sorted([nurse.email, other_nurse.email])  # not the prescriber
    assert email.subject == "Daily ketamine count not yet signed at Boston"
    assert "10:00 AM" in email.body and f"/staff/controlled/{boston.pk}/" in email.body
    assert DailyCountReminder.objects.get().day == dt.date(2026, 11, 30)


def test_no_reminder_before_the_clinics_time_or_on_a_closed_day(boston, boston_vials, nurse):
    for moment in (MONDAY_EARLY, SATURDAY_LATE):
        with time_machine.travel(moment, tick=False):
            assert reminders.sweep() == 0
    assert not reminder_emails().exists()


def test_no_reminder_on_a_day_the_location_is_closed_for_a_holiday(boston, boston_vials, nurse):
    from dendrite.clinics.models import Closure

    monday = dt.date(2026, 11, 30)
    Closure.objects.create(location=boston, start_date=monday, end_date=monday, reason="Storm")
    with time_machine.travel(MONDAY_LATE, tick=False):
        assert reminders.sweep() == 0
        assert not reminders.daily_count_overdue(boston)


def test_the_clinic_chooses_the_time(boston, boston_vials, nurse):
    boston.daily_count_due_by = dt.time(11)
    boston.save()
    with time_machine.travel(MONDAY_LATE, tick=False):
        assert reminders.sweep() == 0
    with time_machine.travel(MONDAY_LATE + dt.timedelta(hours=1), tick=False):
        assert reminders.sweep() == 1


def test_no_reminder_once_the_count_is_signed(boston, boston_vials, nurse):
    with time_machine.travel(MONDAY_EARLY, tick=False):
        count_now(boston, nurse)
    with time_machine.travel(MONDAY_LATE, tick=False):
        assert reminders.sweep() == 0
    assert not reminder_emails().exists()


def test_no_reminder_without_stock(boston, nurse):
    with time_machine.travel(MONDAY_LATE, tick=False):
        assert reminders.sweep() == 0


def test_the_next_open_day_is_reminded_again(boston, boston_vials, nurse):
    with time_machine.travel(MONDAY_LATE, tick=False):
        assert reminders.sweep() == 1
    with time_machine.travel(MONDAY_LATE + dt.timedelta(days=1), tick=False):
        assert reminders.sweep() == 1
    assert reminder_emails().count() == 2


def test_the_log_page_shows_a_banner_until_the_count_is_signed(boston, boston_vials, nurse):
    url = reverse("controlled:log", args=[boston.pk])
    with time_machine.travel(MONDAY_EARLY, tick=False):
        assert BANNER not in signed_in(nurse).get(url).content
    with time_machine.travel(MONDAY_LATE, tick=False):
        assert BANNER in signed_in(nurse).get(url).content
        count_now(boston, nurse)
        assert BANNER not in signed_in(nurse).get(url).content


def test_the_log_pages_query_count_does_not_grow_with_stock_and_counts(boston, boston_vials, nurse):
    from dendrite.conftest import query_count

    from .conftest import receive

    url = reverse("controlled:log", args=[boston.pk])
    with time_machine.travel(MONDAY_LATE, tick=False):
        client = signed_in(nurse)
        few = query_count(lambda: client.get(url))
        receive(boston, nurse, vials=3)
        with time_machine.travel(MONDAY_LATE - dt.timedelta(days=3), tick=False):
            count_now(boston, nurse)
        assert query_count(lambda: client.get(url)) == few
