"""Heavy drinking returns: one task to reach out per episode, worded as renewed
treatment, never as failure; opened after a saved day (queued) and by the sweep."""

import datetime as dt
from decimal import Decimal

from django.core.management import call_command

from dendrite.recovery import actions
from dendrite.recovery.models import RecoverySettings, Source
from dendrite.worklist.models import Kind, StaffTask

from .conftest import TODAY, put_days

WORDS_OF_FAILURE = ("fail", "relapsed patient", "non-compliant", "noncompliant")


def test_three_heavy_days_for_a_woman_open_one_task_to_reach_out(alice, nurse, frozen) -> None:
    # Alice (female): 4 drinks is a heavy day. Three in two weeks = a relapse by default.
    put_days(alice, TODAY - dt.timedelta(days=10), [4, 0, 0, 0, 4])
    actions.record_day(alice, day=TODAY, drinks=Decimal(4), source=Source.TLFB, by=nurse)
    task = actions.review_relapse(alice)
    assert task is not None
    assert task.kind == Kind.RE_ENGAGE
    assert task.title == "Renewed treatment: reach out"
    assert task.role == "nurse"
    assert task.due_on == TODAY + dt.timedelta(days=2)
    assert task.key == f"recovery-renewed-treatment-{alice.pk}-{TODAY.isoformat()}"
    words = f"{task.title} {task.detail}".lower()
    assert "renew" in words
    assert not any(bad in words for bad in WORDS_OF_FAILURE)
    assert actions.review_relapse(alice) == task  # once per episode
    assert StaffTask.objects.count() == 1


def test_the_same_days_for_a_man_are_not_heavy(bob, frozen) -> None:
    put_days(bob, TODAY - dt.timedelta(days=10), [4, 0, 0, 0, 4, 0, 0, 0, 0, 0, 4])
    assert actions.review_relapse(bob) is None


def test_a_saved_day_has_the_patient_reviewed_after_commit(alice, run_worker, frozen) -> None:
    put_days(alice, TODAY - dt.timedelta(days=3), [5, 5])
    actions.record_day(alice, day=TODAY, drinks=Decimal(6), source=Source.DIARY)
    assert not StaffTask.objects.exists()  # queued, not yet run
    run_worker()
    assert StaffTask.objects.get().kind == Kind.RE_ENGAGE


def test_an_ended_episode_opens_nothing_and_the_next_one_opens_its_own_task(alice, frozen) -> None:
    put_days(alice, TODAY - dt.timedelta(days=29), [5, 5, 5] + [0] * 7)
    assert actions.review_relapse(alice) is None  # ended by 7 days without drinking
    put_days(alice, TODAY - dt.timedelta(days=2), [5, 5, 5])
    task = actions.review_relapse(alice)
    assert task is not None
    assert task.key.endswith(TODAY.isoformat())


def test_the_clinic_decides_the_definition_and_who_reaches_out(alice, frozen) -> None:
    RecoverySettings.objects.create(
        organization=alice.organization, heavy_days=2, window_days=7, task_role="prescriber"
    )
    put_days(alice, TODAY - dt.timedelta(days=1), [4, 4])
    task = actions.review_relapse(alice)
    assert task is not None
    assert task.role == "prescriber"
    assert "2 or more heavy drinking days within 7 days" in task.detail


def test_the_sweep_opens_the_tasks_once_however_often_it_runs(alice, bob, frozen) -> None:
    put_days(alice, TODAY - dt.timedelta(days=2), [6, 6, 6])
    put_days(bob, TODAY - dt.timedelta(days=2), [1, 0, 2])
    call_command("review_recovery", verbosity=0)
    call_command("review_recovery", verbosity=0)
    assert list(StaffTask.objects.values_list("patient_id", flat=True)) == [alice.pk]
