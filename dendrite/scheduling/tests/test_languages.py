"""Every message to a patient is in their language (messaging.compose): the booking
confirmation and the reminders by e-mail and text in Spanish for a patient who chose
Spanish, in English for one who did not, with the language of one message never
reaching the next one a worker writes; and a changed address is told at the former one
(messaging.tell_former_addresses), from the chart too."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.utils import translation

from dendrite.conftest import make_patient
from dendrite.patients import actions as patient_actions
from dendrite.patients.models import Consent
from dendrite.scheduling import messaging, reminders
from dendrite.scheduling.actions.reminders import schedule_reminders
from dendrite.scheduling.models import Kind, PatientMessage
from dendrite.scheduling.tests.conftest import give_consent, local, make_appointment

NOW = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)  # Monday 2 March 2026, 09:00 in Boston
WEDNESDAY = dt.date(2026, 3, 11)
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def outbox(settings, tmp_path, time_machine):
    time_machine.move_to(NOW, tick=False)
    settings.MAILERS = LOCMEM
    settings.SMS_BACKEND = "dendrite.sms.FileBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms"
    return settings.SMS_FILE_PATH


def texts(folder) -> dict[str, str]:
    """Number → body of each text sent."""
    found = [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]
    return {text["to"]: text["body"] for text in found}


def reachable(patient, nurse):
    give_consent(patient, nurse, Consent.Kind.EMAIL_MESSAGES)
    give_consent(patient, nurse, Consent.Kind.TEXT_MESSAGES)
    return patient


@pytest.fixture
def spanish(alice, nurse):
    alice.preferred_language = "es"
    alice.save()
    return reachable(alice, nurse)


@pytest.fixture
def english(boston, nurse):
    patient = make_patient(boston, "Edith", "Evans", email="edith@example.test",
                           phone="+16175550177", preferred_language="en")  # fmt: skip
    return reachable(patient, nurse)


def infusion_at(patient, nurse, hour=10):
    return make_appointment(patient, Kind.INFUSION, local(patient.location, WEDNESDAY, hour), nurse)


def stored(patient, channel):
    return PatientMessage.objects.get(patient=patient, channel=channel)


def test_the_booking_confirmation_is_in_each_patients_language(spanish, english, nurse, outbox):
    reminders.send_confirmation([infusion_at(spanish, nurse), infusion_at(english, nurse, 13)])
    email, text = stored(spanish, "email"), stored(spanish, "sms")
    assert email.subject == "Su cita en Dendrite está reservada"
    assert "Su cita en Dendrite está reservada:" in email.body
    assert "mié 11 mar 2026, 10:00" in email.body and "Cancelar:" in email.body
    assert "no conduzca durante 24 horas" in text.body and "mié 11 mar 2026" in text.body
    assert "booked" not in email.body + text.body
    email, text = stored(english, "email"), stored(english, "sms")
    assert email.subject == "Your appointment at Dendrite is booked"
    assert "Wed, Mar 11, 2026, 1:00 PM EDT" in email.body and "Cancel:" in email.body
    assert "do not drive for 24 hours" in text.body
    assert translation.get_language() == "en"  # the override ended with the message


def test_reminders_by_email_and_text_are_in_each_patients_language_in_one_worker_run(
    spanish, english, nurse, outbox, run_worker, time_machine
):
    # One run sends the four: the Spanish ones and the English ones, in some order.
    schedule_reminders([infusion_at(spanish, nurse), infusion_at(english, nurse, 13)])
    time_machine.move_to(local(spanish.location, WEDNESDAY, 13) - dt.timedelta(hours=47))
    run_worker()

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {spanish.email, english.email}
    es, en = by_address[spanish.email], by_address[english.email]
    assert es.subject == "Recordatorio: su cita en Dendrite"
    assert "Le recordamos su cita" in es.body and "Cuándo: mié 11 mar 2026, 10:00" in es.body
    assert "Alguien debe llevarle a casa" in es.body
    assert en.subject == "Reminder: your appointment at Dendrite"
    assert "When: Wed, Mar 11, 2026, 1:00 PM EDT" in en.body and "Cuándo" not in en.body
    sent = texts(outbox)
    assert "le recordamos su cita" in sent[spanish.phone] and "Preguntas:" in sent[spanish.phone]
    assert "reminder of your" in sent[english.phone] and "Preguntas" not in sent[english.phone]
    assert translation.get_language() == "en"


def test_compose_restores_the_language_it_found(spanish, english):
    with translation.override("en"):
        messaging.compose(spanish, subject=reminders.REMINDER_SUBJECT,
                          template="scheduling/messages/contact_changed",
                          context={"clinic": spanish.location})  # fmt: skip
        assert translation.get_language() == "en"
    with translation.override("es"):  # a Spanish page books for an English patient
        subject, _body, _text = messaging.compose(
            english, subject=reminders.REMINDER_SUBJECT,
            template="scheduling/messages/contact_changed", context={"clinic": english.location},
        )  # fmt: skip
        assert subject == "Reminder: your appointment at Dendrite"
        assert translation.get_language() == "es"


def test_a_patient_who_never_chose_has_the_language_of_their_lead(alice, nurse):
    from dendrite.leads.models import Lead

    assert messaging.language_of(alice) == "en"
    Lead.objects.create(name="Alice Lovelace", email=alice.email, location=alice.location,
                        language="es", patient=alice, consent_to_contact=True)  # fmt: skip
    assert messaging.language_of(alice) == "es"


# Telling the former address


def change_in_chart(patient, by, **values):
    for name, value in values.items():
        setattr(patient, name, value)
    return patient_actions.change_patient(patient, by=by, changed=list(values))


def test_staff_changing_the_mobile_number_tells_the_old_number(
    spanish, front_desk, outbox, run_worker
):
    old = spanish.phone
    change_in_chart(spanish, front_desk, phone="+16175550199")
    [notice] = PatientMessage.objects.all()
    assert (notice.channel, notice.former_address) == ("sms", old)
    assert "se cambiaron sus datos de contacto" in notice.body  # in the patient's language
    assert "+16175550199" not in notice.body and "Alice" not in notice.body
    assert "(617) 555-0100" in notice.body  # the clinic's number, to call if it wasn't them
    run_worker()
    assert set(texts(outbox)) == {old}  # the old number, not the new one
    notice.refresh_from_db()
    assert (notice.status, notice.body, notice.former_address) == ("sent", "", "")


def test_staff_changing_the_email_tells_the_old_address_only(english, front_desk, outbox,
                                                             run_worker):  # fmt: skip
    change_in_chart(english, front_desk, email="edith.new@example.test", city="Boston")
    run_worker()
    [email] = mail.outbox
    assert email.to == ["edith@example.test"]
    assert email.subject == "Your contact details at Dendrite were changed"
    assert "If this wasn't you, please call us on (617) 555-0100." in email.body
    assert "edith.new" not in email.body and "Evans" not in email.body


def test_no_notice_without_a_change_of_address_or_without_consent(alice, front_desk, outbox):
    change_in_chart(alice, front_desk, city="Cambridge")
    change_in_chart(alice, front_desk, phone="+16175550199")  # Alice never agreed to texts
    assert not PatientMessage.objects.exists()
