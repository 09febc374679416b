"""My details: the patient changes their e-mail, mobile number, language of messages and
message consents; each consent is an event by the patient, the old e-mail address hears
of a change, nothing is half-saved, and one way to get a code always stays."""

from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.patients.models import Consent
from dendrite.portal import actions
from dendrite.scheduling.models import PatientMessage

from .conftest import portal_client

URL = reverse("portal:details")


def form(**changes):
    data = {"email": "alice@example.test", "phone": "(617) 555-0142",
            "preferred_language": "en", "email_messages": "on", "text_messages": "on"}  # fmt: skip
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_page_shows_the_patients_details_and_audits_the_read(alice_in):
    page = portal_client(alice_in).get(URL)
    assert page.status_code == 200
    assert b'value="alice@example.test"' in page.content
    assert AuditEvent.objects.filter(action="portal.details.read",
                                     patient_id=str(alice_in.pk)).exists()  # fmt: skip


def test_a_new_address_and_language_are_saved_and_the_old_address_told(alice_in):
    version = alice_in.version
    client = portal_client(alice_in)
    answer = client.post(URL, form(email="ada@example.test", preferred_language="es"))
    assert answer.status_code == 302
    alice_in.refresh_from_db()
    assert (alice_in.email, alice_in.preferred_language) == ("ada@example.test", "es")
    assert alice_in.version == version + 1
    told = PatientMessage.objects.get(former_address="alice@example.test")
    assert told.channel == "email"
    assert "alice" not in told.subject.lower() and "ada" not in told.body
    assert "correo" in told.body  # in the patient's new language
    assert PatientMessage.objects.filter(patient=alice_in).count() == 3  # and both channels
    event = AuditEvent.objects.get(action="portal.details.change")
    assert event.detail == {"fields": ["email", "preferred_language"], "consents": {}}
    assert "ada@" not in str(event.detail)


def test_withdrawing_a_consent_is_an_event_by_the_patient(alice_in):
    portal_client(alice_in).post(URL, form(text_messages=None))
    latest = alice_in.consents.filter(kind=Consent.Kind.TEXT_MESSAGES).first()
    assert latest.status == Consent.Status.WITHDRAWN
    assert latest.recorded_by is None and latest.source == actions.PORTAL_CONSENT_SOURCE
    assert not PatientMessage.objects.exists()  # no address changed: nobody told


def test_bad_input_keeps_it_and_saves_nothing(alice_in):
    client = portal_client(alice_in)
    page = client.post(URL, form(email="not-an-address", phone="12", text_messages=None))
    assert page.status_code == 400
    assert b"such as name@example.com" in page.content
    assert b"with the area code" in page.content
    assert b'value="not-an-address"' in page.content
    alice_in.refresh_from_db()
    assert alice_in.email == "alice@example.test"
    assert alice_in.consents.filter(recorded_by=None).count() == 0


def test_a_consent_needs_its_address(alice_in):
    page = portal_client(alice_in).post(URL, form(phone=""))
    assert page.status_code == 400
    assert b"Please enter your mobile number to get text messages." in page.content


def test_the_last_way_to_get_a_code_stays(alice_in):
    page = portal_client(alice_in).post(URL, form(email_messages=None, text_messages=None))
    assert page.status_code == 400
    assert b"at least one way" in page.content
    assert alice_in.consents.filter(recorded_by=None).count() == 0


def test_nothing_changed_changes_nothing(alice_in):
    alice_in.preferred_language = "en"
    alice_in.save()
    portal_client(alice_in).post(URL, form())
    assert not AuditEvent.objects.filter(action="portal.details.change").exists()


def test_messages_use_the_preferred_language(alice_in):
    alice_in.preferred_language = "es"
    alice_in.save()
    assert alice_in.message_language() == "es"
    alice_in.preferred_language = ""
    assert alice_in.message_language() == "en"


def test_staff_see_the_patients_own_consent_on_the_chart(alice_in, nurse):
    from dendrite.conftest import signed_in

    portal_client(alice_in).post(URL, form(text_messages=None))
    chart = signed_in(nurse).get(f"/staff/patients/{alice_in.pk}/")
    assert chart.status_code == 200
    assert b"The patient (portal)" in chart.content
