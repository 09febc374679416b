"""After the induction series: check-ins at 30, 90 and 180 days, each sent once; one left
unanswered opens a front-desk task, once."""

import datetime as dt

import time_machine
from django.core.management import call_command

from dendrite.outcomes.models import QuestionnaireRequest
from dendrite.scheduling.models import Series, SeriesProtocol
from dendrite.worklist.models import Kind, StaffTask

from .conftest import NOW, infusion_at

DAY = dt.timedelta(days=1)


def induction(patient, nurse, last: dt.datetime) -> Series:
    protocol = SeriesProtocol.objects.get(location=patient.location)
    series = Series.objects.create(
        patient=patient, location=patient.location, protocol=protocol, name="Induction series",
        infusions=2, min_gap_hours=48, span_days=21, booked_by=nurse,
    )  # fmt: skip
    for starts in (last - 3 * DAY, last):
        infusion_at(patient, starts, nurse, series=series, status="done")
    return series


def sweep(at: dt.datetime) -> None:
    with time_machine.travel(at, tick=False):
        call_command("send_questionnaire_links")


def test_the_check_ins_go_out_on_their_days_once(depressed_alice, nurse, outbox):
    series = induction(depressed_alice, nurse, NOW - 40 * DAY)
    sweep(NOW - 11 * DAY)  # day 29: nothing yet
    assert not QuestionnaireRequest.objects.exists()
    sweep(NOW - 10 * DAY)  # day 30
    sweep(NOW - 10 * DAY + dt.timedelta(hours=1))
    request = QuestionnaireRequest.objects.get()
    assert (request.series, request.check_in_day, request.sent_on) == (series, 30, ["email"])
    assert request.instruments == ["phq-9", "c-ssrs-screener"]
    sweep(NOW + 50 * DAY)  # day 90
    assert sorted(QuestionnaireRequest.objects.values_list("check_in_day", flat=True)) == [30, 90]


def test_a_missed_check_in_opens_one_front_desk_task(depressed_alice, nurse, outbox):
    induction(depressed_alice, nurse, NOW - 30 * DAY)
    sweep(NOW)
    request = QuestionnaireRequest.objects.get()
    sweep(NOW + 6 * DAY)  # still open: no task
    assert not StaffTask.objects.exists()
    sweep(NOW + 7 * DAY)  # the check-in lapses
    sweep(NOW + 8 * DAY)  # and the sweep runs again
    request.refresh_from_db()
    assert request.status == "expired"
    task = StaffTask.objects.get()
    assert (task.kind, task.title, task.role, task.patient) == (
        Kind.MISSED_CHECK_IN, "Missed check-in: reach the patient", "front_desk", depressed_alice
    )  # fmt: skip
    assert QuestionnaireRequest.objects.count() == 1  # not sent again late


def test_an_answered_check_in_opens_no_task(depressed_alice, nurse, outbox):
    induction(depressed_alice, nurse, NOW - 30 * DAY)
    sweep(NOW)
    QuestionnaireRequest.objects.update(status="completed")
    sweep(NOW + 10 * DAY)
    assert not StaffTask.objects.exists()


def test_an_expired_visit_link_opens_no_task(depressed_alice, nurse, outbox):
    infusion_at(depressed_alice, NOW + 20 * dt.timedelta(hours=1), nurse)
    sweep(NOW)
    sweep(NOW + 2 * DAY)
    assert QuestionnaireRequest.objects.get().status == "expired"
    assert not StaffTask.objects.exists()
