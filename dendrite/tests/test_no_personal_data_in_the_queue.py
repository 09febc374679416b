"""No patient data or secrets at rest in the task queue (STYLE.md, "Queued work").

The main flows run end to end with the real worker: an inquiry, a self-screening with a
safety answer (which raises an alert escalated to the clinician on call), a password
reset, a series booked with its confirmations and reminders, a waitlist offer. Then no
task row (DBTaskResult's args and kwargs) — and, with Redis, no RQ job — holds an e-mail
address, a phone number, a name, a message body or the reset link: every argument is an
id. Finished task rows are pruned (manage.py prune_db_task_results), waiting ones kept.
"""

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dendrite.alerts.models import Escalation, SafetyAlert
from dendrite.leads.models import Lead
from dendrite.patients.models import Consent, Patient
from dendrite.scheduling import actions
from dendrite.scheduling.models import (
    Appointment,
    PatientMessage,
    Reminder,
    SeriesProtocol,
    WaitlistEntry,
    WaitlistStatus,
)
from dendrite.scheduling.tests.conftest import (
    clear_for_infusions,
    give_consent,
    next_weekday,
    type_at,
)
from dendrite.screening.tests.helpers import url, walk, yes_no
from dendrite.website.tests.helpers import inquiry, send


def drive_the_main_flows(
    boston, alice, bob, nurse, front_desk, on_call, run: Callable[[], None], clock
) -> None:
    """Everything that queues work, as people do it, with the worker running in between."""
    boston.email = "boston-inbox@example.test"
    boston.save()
    for patient in (alice, bob):
        if not patient.email:
            patient.email, patient.phone = "bob@example.test", "+16175550177"
            patient.save()
        give_consent(patient, nurse, Consent.Kind.EMAIL_MESSAGES)
        give_consent(patient, nurse, Consent.Kind.TEXT_MESSAGES)

    # An inquiry from the public site: an answer to the person, a note to the clinic.
    send(Client(), clock, inquiry(boston))
    run()

    # A self-screening with "yes" to the C-SSRS: a high-risk alert, escalated at once.
    screening = Client()
    mood = {f"q{n}": "0" for n in range(1, 9)} | {"q9": "2"}
    walk(screening, boston, stop_at="safety", mood=mood)
    screening.post(url("safety"), yes_no("1", "2", yes=("1", "2")))
    screening.post(url("safety-more"), yes_no("3", "4", "5", "6", yes=("4",)))
    run()
    assert SafetyAlert.objects.get().tier == "high"
    assert Escalation.objects.filter(status="sent").exists()

    # A password reset: the link is a secret.
    Client().post(reverse("accounts:password_reset"), {"email": nurse.email})
    run()

    # A series booked for Alice: a confirmation with its .ics, and reminders.
    clear_for_infusions(alice, nurse)
    protocol = SeriesProtocol.objects.get(location=boston)
    plan = actions.preview_series(alice, protocol, first_day=next_weekday(0))
    actions.book_series(alice, protocol, starts=[slot.start for slot in plan], by=front_desk)
    run()
    assert set(PatientMessage.objects.values_list("status", flat=True)) == {"sent"}

    # Bob waits for an earlier consultation; Alice's is cancelled and offered to him.
    consultation = type_at(boston, "consultation")
    day = next_weekday(2)
    WaitlistEntry.objects.create(
        patient=bob, location=boston, appointment_type=consultation, earliest=day, latest=day,
        added_by=front_desk,
    )  # fmt: skip
    start = dt.datetime.combine(day, dt.time(11), tzinfo=boston.tz)
    appointment = actions.book(alice, consultation, starts_at=start, by=front_desk)
    actions.cancel(appointment, by=front_desk, reason="Patient asked")
    run()
    assert WaitlistEntry.objects.get().status == WaitlistStatus.OFFERED

    # The first reminders of the series go out 48 hours before.
    first = Appointment.objects.filter(series__isnull=False).order_by("starts_at").first()
    clock.move_to(first.starts_at - dt.timedelta(hours=47))
    run()
    assert Reminder.objects.filter(status="sent").exists()


def personal_data(*people: Any, texts: Path) -> list[str]:
    """Everything that must never sit in the queue: addresses, phone numbers (as typed
    and as stored), names, every message body sent (e-mail and text), and the reset
    link's token."""
    found = {"Dana Example", "dana@example.test", "(617) 555-0142", "6175550142", "Sam Sample"}
    found |= set(Lead.objects.values_list("email", flat=True))
    for person in people:
        for field in ("email", "phone", "mobile_phone", "first_name", "last_name"):
            found.add(getattr(person, field, ""))
    for patient in Patient.objects.all():
        found |= {patient.email, patient.phone, patient.first_name, patient.last_name}
    for message in mail.outbox:
        found |= {line for line in message.body.splitlines() if len(line) > 20}
        found |= set(message.to)
        reset = re.search(r"/password-reset/(\S+)/(\S+)/", message.body)
        if reset:
            found |= {reset.group(1), reset.group(2)}
    for text in texts.glob("*.json"):
        sent = json.loads(text.read_text())
        found |= {sent["to"], sent["body"]}
    return sorted(value for value in found if value)


def leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in leaves(item)]
    if isinstance(value, list | tuple):
        return [leaf for item in value for leaf in leaves(item)]
    return [value]


def assert_ids_only(arguments: list[Any], secrets: list[str]) -> None:
    assert arguments, "the flows queued nothing: this test would prove nothing"
    for args in arguments:
        assert all(isinstance(leaf, int) for leaf in leaves(args)), args
    dumped = json.dumps(arguments)
    assert [secret for secret in secrets if secret in dumped] == []


@pytest.mark.slow
@pytest.mark.django_db
def test_no_task_row_holds_an_address_a_name_a_body_or_a_reset_link(
    boston, alice, bob, nurse, front_desk, on_call, outboxes, clock, run_worker
):
    drive_the_main_flows(boston, alice, bob, nurse, front_desk, on_call, run_worker, clock)

    rows = list(DBTaskResult.objects.all())
    paths = {row.task_path.rsplit(".", 1)[-1] for row in rows}
    assert {
        "send_queued_email", "send_escalation", "escalate_alert", "send_patient_message",
        "offer_freed_slot", "send_reminder",
    } <= paths  # fmt: skip
    assert len(mail.outbox) >= 6 and any(outboxes.glob("*.json"))
    secrets = personal_data(nurse, on_call, texts=outboxes)
    assert_ids_only([row.args_kwargs for row in rows], secrets)


@pytest.mark.django_db
def test_pruning_removes_finished_task_rows_and_keeps_waiting_ones(run_worker, clock):
    from dendrite.tests.redis_tasks import add

    add.enqueue(1, 2)
    run_worker()
    later = add.using(run_after=timezone.now() + dt.timedelta(days=30)).enqueue(3, 4)
    clock.shift(dt.timedelta(days=8))
    waiting = add.enqueue(5, 6)  # due, but no worker has run yet

    call_command("prune_db_task_results", queue_name="*", min_age_days=7, verbosity=0)

    left = DBTaskResult.objects.order_by("enqueued_at")
    assert [str(row.id) for row in left] == [later.id, waiting.id]
    assert {row.status for row in left} == {TaskResultStatus.READY}
