"""The sweep sends each visit's link once, on the consented channels only, a clinic-set
time before the visit; the token never sits in the task queue."""

import datetime as dt
import json

import time_machine
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from dendrite.outcomes.models import QuestionnaireRequest
from dendrite.outcomes.plans import plan_for
from dendrite.patients.models import Consent
from dendrite.scheduling.models import PatientMessage
from dendrite.scheduling.tests.conftest import give_consent

from .conftest import NOW, diagnose, infusion_at

HOUR = dt.timedelta(hours=1)


def sweep(at: dt.datetime) -> None:
    with time_machine.travel(at, tick=False):
        call_command("send_questionnaire_links")


def test_the_link_goes_out_once_the_day_before_the_visit(
    depressed_alice, nurse, outbox, run_worker
):
    visit = infusion_at(depressed_alice, NOW + 20 * HOUR, nurse)
    sweep(NOW)
    sweep(NOW + HOUR)  # again: nothing more
    request = QuestionnaireRequest.objects.get()
    assert (request.appointment, request.instruments) == (visit, ["phq-9", "c-ssrs-screener"])
    assert request.sent_on == ["email"] and request.expires_at == visit.ends_at
    with time_machine.travel(NOW + HOUR, tick=False):
        run_worker()
    [email] = mail.outbox
    assert "/questionnaire/open/" in email.body
    assert "Lovelace" not in email.subject
    assert PatientMessage.objects.get().body == ""  # the link is erased once sent


def test_the_token_is_never_in_the_task_queue(depressed_alice, nurse, outbox, run_worker):
    infusion_at(depressed_alice, NOW + 20 * HOUR, nurse)
    sweep(NOW)
    token = PatientMessage.objects.get().body.split("/questionnaire/open/")[1].split("/")[0]
    for task in DBTaskResult.objects.all():
        assert token not in json.dumps(task.args_kwargs)


def test_a_visit_further_off_than_the_clinics_lead_time_waits(depressed_alice, nurse, outbox):
    infusion_at(depressed_alice, NOW + 30 * HOUR, nurse)
    sweep(NOW)
    assert not QuestionnaireRequest.objects.exists()
    plan = plan_for(depressed_alice.organization)
    plan.send_hours_before = 48
    plan.save()
    sweep(NOW)
    assert QuestionnaireRequest.objects.count() == 1


def test_text_messages_only_when_consented_to(alice, nurse, outbox, run_worker):
    diagnose(alice, "F32.1", nurse)
    give_consent(alice, nurse, Consent.Kind.TEXT_MESSAGES)
    infusion_at(alice, NOW + 20 * HOUR, nurse)
    sweep(NOW)
    with time_machine.travel(NOW + HOUR, tick=False):
        run_worker()
    assert mail.outbox == []
    [text] = outbox.glob("*.json")
    assert "/questionnaire/open/" in json.loads(text.read_text())["body"]


def test_without_consent_nothing_is_sent_and_the_tablet_remains(alice, nurse, outbox):
    diagnose(alice, "F32.1", nurse)
    infusion_at(alice, NOW + 20 * HOUR, nurse)
    sweep(NOW)
    assert QuestionnaireRequest.objects.get().sent_on == []
    assert not PatientMessage.objects.exists()


def test_nothing_is_asked_of_a_patient_the_plan_does_not_measure(bob, nurse, outbox):
    give_consent(bob, nurse, Consent.Kind.EMAIL_MESSAGES)
    infusion_at(bob, NOW + 20 * HOUR, nurse)
    sweep(NOW)
    assert not QuestionnaireRequest.objects.exists()


def test_a_cancelled_visit_gets_no_link(depressed_alice, nurse, outbox):
    infusion_at(depressed_alice, NOW + 20 * HOUR, nurse, status="cancelled")
    sweep(NOW)
    assert not QuestionnaireRequest.objects.exists()


def test_the_message_is_in_the_language_the_patient_chose(depressed_alice, nurse, outbox):
    from dendrite.leads.models import Lead

    Lead.objects.create(
        name="Alice Lovelace", email=depressed_alice.email, location=depressed_alice.location,
        language="es", patient=depressed_alice, consent_to_contact=True,
    )  # fmt: skip
    infusion_at(depressed_alice, NOW + 20 * HOUR, nurse)
    sweep(NOW)
    assert QuestionnaireRequest.objects.get().language == "es"
    message = PatientMessage.objects.get()
    assert message.subject == "Sus preguntas antes de su visita en Dendrite"
    assert "Antes de su visita" in message.body
    assert "llame o envíe un mensaje de texto al 988" in message.body
