"""The booster rule opens one prescriber task per episode, from the completion hook and
from the sweep (time-machine: each score is recorded on its own day)."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from dendrite.accounts.models import Role
from dendrite.clinics.models import Organization
from dendrite.outcomes.booster import TITLE, review_after_response, sweep
from dendrite.outcomes.models import OutcomeSettings
from dendrite.worklist.actions import close_task
from dendrite.worklist.models import Kind, StaffTask, Status

from .outcome_data import add_infusion_visit, add_score

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 14, tzinfo=dt.UTC)


def day(n: int) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


def completed(patient, n: int, total: int):
    """A PHQ-9 completed on day n, then the hook the completion calls."""
    with time_machine.travel(day(n), tick=False):
        add_score(patient, day(n), total)
        return review_after_response(patient)


@pytest.fixture
def responder(alice, nurse):
    """Baseline 20, first infusion on day 1, a response (8) on day 8, lowest 4 on day 15."""
    assert completed(alice, 0, 20) is None
    add_infusion_visit(alice, day(1), nurse)
    assert completed(alice, 8, 8) is None
    assert completed(alice, 15, 4) is None
    return alice


def test_one_rising_measurement_opens_nothing(responder):
    assert completed(responder, 22, 9) is None
    assert not StaffTask.objects.exists()


def test_two_in_a_row_open_one_task_for_the_prescribers(responder):
    completed(responder, 22, 9)
    task = completed(responder, 29, 11)
    assert task is not None
    assert (task.kind, task.title, task.role) == (Kind.BOOSTER_REVIEW, TITLE, Role.PRESCRIBER)
    assert task.due_on == dt.date(2026, 4, 7)  # day 29 (Mar 31) + 7 days
    assert task.location_id == responder.location_id
    assert "(4 on Tue, Mar 17, 2026)" in task.detail
    assert "9 on Tue, Mar 24, 2026 and 11 on Tue, Mar 31, 2026" in task.detail
    assert StaffTask.objects.count() == 1


def test_run_twice_still_one_task(responder):
    completed(responder, 22, 9)
    first = completed(responder, 29, 11)
    again = completed(responder, 36, 12)
    assert first is not None and again is not None and again.pk == first.pk
    with time_machine.travel(day(37), tick=False):
        assert [task.pk for task in sweep()] == [first.pk]
    assert StaffTask.objects.count() == 1


def test_a_new_episode_after_the_task_is_closed_opens_a_new_task(responder, prescriber):
    completed(responder, 22, 9)
    first = completed(responder, 29, 11)
    with time_machine.travel(day(30), tick=False):
        close_task(first, by=prescriber, status=Status.DONE, outcome="Booster given.")
    assert completed(responder, 43, 3) is None  # a response again: a new episode
    completed(responder, 50, 10)
    second = completed(responder, 57, 10)
    assert second is not None and second.pk != first.pk
    assert second.status == Status.OPEN
    assert StaffTask.objects.count() == 2


def test_the_clinic_settings_change_the_rule(responder):
    OutcomeSettings.objects.create(
        organization=Organization.objects.get(), booster_in_a_row=1, booster_due_days=2
    )
    task = completed(responder, 22, 9)
    assert task is not None and task.due_on == dt.date(2026, 3, 26)


def test_the_sweep_looks_only_at_patients_with_new_scores(responder, bob, nurse):
    completed(bob, 0, 20)
    with time_machine.travel(day(23), tick=False):
        call_command("outcomes_booster_sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
    completed(responder, 22, 9)  # recorded before the run: no task yet (one rise)
    with time_machine.travel(day(29), tick=False):
        add_score(responder, day(29), 11)  # recorded, but the hook is not called
    with time_machine.travel(day(30), tick=False):
        tasks = sweep()
    assert [task.patient_id for task in tasks] == [responder.pk]
    with time_machine.travel(day(31), tick=False):
        assert sweep() == []  # nothing recorded since the last run


def test_completing_a_phq9_from_a_link_opens_the_review(responder):
    """The completion calls the rule: no sweep needed for the task to appear."""
    from dendrite.instruments import loader
    from dendrite.instruments.forms import QuestionsForm
    from dendrite.outcomes import actions

    from .conftest import open_request, phq9

    completed(responder, 22, 11)  # the first rise, recorded earlier
    with time_machine.travel(day(29), tick=False):
        request, _ = open_request(responder, ["phq-9"])
        posted = phq9(q1="3", q2="3", q3="3", q4="2")  # 11: back to >= 10, twice in a row
        answers = QuestionsForm(loader.questions("phq-9"), posted).valid_answers()
        actions.keep_answers(request, "phq-9", answers)
        actions.complete(request, "phq-9")
    task = StaffTask.objects.get()
    assert (task.kind, task.role) == (Kind.BOOSTER_REVIEW, Role.PRESCRIBER)
