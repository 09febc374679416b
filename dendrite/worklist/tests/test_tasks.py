"""Staff tasks: opened once per key, seen by the right people, closed with a reason."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from dendrite.accounts.models import Role
from dendrite.audit.models import AuditEvent
from dendrite.conftest import make_patient, make_user, query_count, signed_in
from dendrite.worklist import access, actions
from dendrite.worklist.models import Kind, StaffTask, Status

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 12, 1)


def booster(patient, key="booster:1", **extra):
    return actions.open_task(
        patient=patient,
        kind=Kind.BOOSTER_REVIEW,
        title="Review for a booster",
        detail="PHQ-9 rose by 6 points on two check-ins in a row.",
        due_on=DUE,
        role=Role.PRESCRIBER,
        key=key,
        **extra,
    )


def test_a_rule_run_twice_opens_one_task(alice):
    first = booster(alice)
    second = booster(alice)
    assert first.pk == second.pk
    assert StaffTask.objects.count() == 1
    assert AuditEvent.objects.filter(action="worklist.stafftask.open").count() == 1
    assert first.location_id == alice.location_id


def test_a_closed_task_is_not_opened_again_by_the_same_key(alice, prescriber):
    task = booster(alice)
    actions.close_task(task, by=prescriber, status=Status.DONE, outcome="Booked a booster.")
    again = booster(alice)
    assert again.pk == task.pk
    assert again.status == Status.DONE


def test_my_tasks_are_mine_and_my_roles_at_my_locations(
    alice, charlie, prescriber, prescriber_hartford, nurse, front_desk
):
    boston_task = booster(alice, key="a")
    booster(charlie, key="c")  # West Hartford
    call = actions.open_task(
        patient=alice,
        kind=Kind.MISSED_CHECK_IN,
        title="Missed check-in: call the patient",
        due_on=DUE,
        role=Role.FRONT_DESK,
        key="m",
    )
    assert list(access.my_tasks(prescriber)) == [boston_task]
    assert list(access.my_tasks(front_desk)) == [call]
    assert list(access.my_tasks(nurse)) == []
    assert [t.patient for t in access.my_tasks(prescriber_hartford)] == [charlie]
    actions.take_task(boston_task, by=prescriber)
    other = make_user("pia_prescriber", Role.PRESCRIBER, alice.location)
    assert list(access.my_tasks(other)) == []  # taken by someone else
    assert list(access.location_tasks(other)) == [boston_task]


def test_front_desk_and_other_locations_cannot_open_a_prescribers_task(
    alice, front_desk, prescriber_hartford, prescriber
):
    task = booster(alice)
    for stranger in (front_desk, prescriber_hartford):
        response = signed_in(stranger).get(reverse("worklist:task", args=[task.pk]))
        assert response.status_code == 404
    assert (
        AuditEvent.objects.filter(
            action="worklist.stafftask.read", outcome=AuditEvent.Outcome.DENIED
        ).count()
        == 2
    )
    page = signed_in(prescriber).get(reverse("worklist:task", args=[task.pk]))
    assert page.status_code == 200
    assert "PHQ-9 rose by 6 points" in page.content.decode()


def test_closing_needs_a_reason_and_keeps_what_was_typed(alice, prescriber):
    task = booster(alice)
    client = signed_in(prescriber)
    url = reverse("worklist:task", args=[task.pk])
    response = client.post(url, {"status": "done", "outcome": "   "})
    assert response.status_code == 400
    assert "Please say in a few words what happened." in response.content.decode()
    task.refresh_from_db()
    assert task.status == Status.OPEN
    response = client.post(url, {"status": "not-needed", "outcome": "Doing well, no booster."})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.closed_by, task.outcome) == (
        Status.NOT_NEEDED,
        prescriber,
        "Doing well, no booster.",
    )
    assert AuditEvent.objects.filter(action="worklist.stafftask.close").count() == 1


def test_a_task_closes_once(alice, prescriber):
    task = booster(alice)
    actions.close_task(task, by=prescriber, status=Status.DONE, outcome="Booked.")
    with pytest.raises(actions.TaskClosed):
        actions.close_task(task, by=prescriber, status=Status.DONE, outcome="Booked again.")
    with pytest.raises(actions.TaskClosed):
        actions.take_task(task, by=prescriber)


def test_the_database_refuses_a_closed_task_without_a_reason(alice):
    task = booster(alice)
    task.status = Status.DONE
    with pytest.raises(IntegrityError), transaction.atomic():
        task.save()


def test_taking_a_task_from_its_page(alice, prescriber):
    task = booster(alice)
    response = signed_in(prescriber).post(reverse("worklist:take", args=[task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.owner == prescriber


def test_the_chart_lists_the_patients_open_tasks_for_whom_may_see_them(
    alice, prescriber, front_desk
):
    booster(alice)
    chart = reverse("patients:chart", args=[alice.pk])
    assert "Review for a booster" in signed_in(prescriber).get(chart).content.decode()
    assert "Review for a booster" not in signed_in(front_desk).get(chart).content.decode()


def test_my_tasks_page_makes_the_same_queries_for_2_or_12_tasks(boston, prescriber):
    client = signed_in(prescriber)
    url = reverse("worklist:my_tasks")
    patients = [make_patient(boston, "Pat", f"Number{i}") for i in range(12)]
    for i, patient in enumerate(patients[:2]):
        booster(patient, key=f"k{i}")
    few = query_count(lambda: client.get(url))
    for i, patient in enumerate(patients[2:], start=2):
        booster(patient, key=f"k{i}")
    many = query_count(lambda: client.get(url))
    assert few == many
    assert "12 open tasks" in client.get(url).content.decode()
    all_url = url + "?show=all"
    assert query_count(lambda: client.get(all_url)) == many
