"""The Twilio backend (outbox/twilio.py), through Twilio's own SDK, against a fake of
Twilio's API on this machine (fake_twilio.py): one text per key, whatever crashes in
between; a refusal that no retry mends is given up with a reason for staff; nothing
about the text, the number or the credentials reaches the log."""

import logging

import pytest
from django.db import transaction

from dendrite import sms
from dendrite.outbox.models import SmsAttempt
from dendrite.outbox.tests.fake_twilio import API_KEY, API_SECRET, SENDER, Refuse
from dendrite.outbox.twilio import TwilioBackend
from dendrite.queue import SendFailed, Undeliverable, describe

pytestmark = pytest.mark.django_db

TO = "+16175550142"
BODY = "Reminder: your visit at Dendrite Boston is tomorrow at 9:00 AM."
KEY = "dendrite-reminder-0123456789abcdef"


def send(body=BODY, key=KEY, to=TO):
    sms.get_backend().send(to, body, key=key)


def test_a_text_goes_through_the_sdk_to_twilio(twilio):
    send()
    [message] = twilio.messages
    assert (message["to"], message["from"], message["body"]) == (TO, SENDER, BODY)
    attempt = SmsAttempt.objects.get(key=KEY)
    assert attempt.provider_id == message["sid"] and attempt.accepted_at is not None


def test_a_messaging_service_is_named_as_such(twilio, settings):
    settings.TWILIO_SENDER = "MG" + "2" * 32
    send()
    [message] = twilio.messages
    assert (message["from"], message["messaging_service_sid"]) == (None, settings.TWILIO_SENDER)


def test_the_same_key_twice_is_one_text_and_asks_twilio_once(twilio):
    send()
    send()
    assert len(twilio.messages) == 1
    assert len(twilio.requests) == 1  # the second send knew without asking


def test_an_answer_lost_after_twilio_accepted_is_not_sent_again(twilio):
    twilio.plan = ["accept, then drop"]
    with pytest.raises(SendFailed, match="did not answer"):
        send()
    assert len(twilio.messages) == 1
    assert SmsAttempt.objects.get(key=KEY).provider_id == ""  # outcome unknown
    send()  # the retry asks Twilio first, and finds it
    assert len(twilio.messages) == 1
    assert SmsAttempt.objects.get(key=KEY).provider_id == twilio.messages[0]["sid"]


def test_a_lookup_that_fails_sends_nothing_and_is_tried_again(twilio):
    twilio.plan = ["accept, then drop"]
    twilio.lookup_plan = [Refuse(503, 20503), Refuse(400, 20001)]
    for _ in range(3):
        with pytest.raises(SendFailed) as error:
            send()
        assert describe(error.value)[1] is False  # never given up while the outcome is unknown
    send()
    assert len(twilio.messages) == 1 and twilio.creates() == 1


def test_a_worker_that_died_after_twilio_accepted_does_not_send_again(twilio, monkeypatch):
    def die(*args, **kwargs):
        raise SystemExit("the worker was killed")

    monkeypatch.setattr(TwilioBackend, "_accepted", die)
    with pytest.raises(SystemExit):
        send()
    monkeypatch.undo()
    send()
    assert len(twilio.messages) == 1


def test_a_try_that_never_reached_twilio_is_sent_on_the_retry(twilio):
    twilio.plan = ["drop"]  # nothing created, no answer
    with pytest.raises(SendFailed):
        send()
    send()
    assert len(twilio.messages) == 1
    assert twilio.creates() == 2


def test_a_server_error_is_tried_again_without_a_second_text(twilio):
    twilio.plan = ["accept, then 500", Refuse(503, 20503, "Service unavailable")]
    with pytest.raises(SendFailed) as error:
        send()
    assert describe(error.value) == (
        "The text-message provider had an error; the text is tried again.", False
    )  # fmt: skip
    send()  # the lost try is found: the 503 planned next is never met
    assert len(twilio.messages) == 1 and twilio.creates() == 1


def test_being_told_to_slow_down_creates_nothing_and_is_tried_again(twilio):
    twilio.plan = [Refuse(429, 20429, "Too Many Requests")]
    with pytest.raises(SendFailed, match="busy") as error:
        send()
    assert describe(error.value)[1] is False
    assert not SmsAttempt.objects.exists()  # nothing to look for next time
    send()
    assert len(twilio.messages) == 1


def test_an_invalid_number_is_given_up_with_a_reason_for_staff(twilio):
    twilio.plan = [Refuse(400, 21211, f"The 'To' number {TO} is not a valid phone number.")]
    with pytest.raises(Undeliverable) as error:
        send()
    reason, give_up = describe(error.value)
    assert (reason, give_up) == ("The mobile number is not a valid phone number.", True)
    assert TO not in reason
    assert not twilio.messages and not SmsAttempt.objects.exists()


def test_an_unknown_refusal_names_twilios_code(twilio):
    twilio.plan = [Refuse(400, 21606, "The 'From' number is not a valid message-capable number")]
    with pytest.raises(Undeliverable, match=r"Twilio error 21606"):
        send()


def test_an_opted_out_recipient_is_given_up(twilio):
    twilio.plan = [Refuse(400, 21610, "Attempt to send to unsubscribed recipient")]
    with pytest.raises(Undeliverable, match="STOP"):
        send()


def test_wrong_credentials_are_tried_again(twilio, settings):
    settings.TWILIO_API_SECRET = "not-the-secret"
    with pytest.raises(SendFailed, match="credentials") as error:
        send()
    assert describe(error.value)[1] is False
    assert not twilio.messages


def test_a_lost_try_is_found_when_twilio_changed_its_punctuation(twilio):
    twilio.keeps = lambda body: "Sent from your Twilio trial account - " + body.replace("'", "’")
    twilio.plan = ["accept, then drop"]
    with pytest.raises(SendFailed):
        send(body="We'll see you at 9:00 — Dendrite Boston")
    send(body="We'll see you at 9:00 — Dendrite Boston")
    assert len(twilio.messages) == 1


def test_a_lost_try_is_not_confused_with_another_keys_text(twilio):
    send(key="dendrite-reminder-first")  # the same words to the same number, sent and known
    twilio.plan = ["drop"]
    with pytest.raises(SendFailed):
        send(key="dendrite-reminder-second")
    send(key="dendrite-reminder-second")
    assert len(twilio.messages) == 2


def test_a_key_that_could_be_anything_is_refused(twilio):
    with pytest.raises(ValueError, match="key"):
        send(key="../escape")


def test_no_number_text_or_credential_reaches_the_log(twilio, caplog):
    caplog.set_level(logging.DEBUG)
    twilio.plan = [
        "accept, then drop",
        Refuse(400, 21211, f"The 'To' number {TO} is not a valid phone number."),
    ]
    with pytest.raises(SendFailed):
        send()
    send()  # the lookup, with the number in its query
    with pytest.raises(Undeliverable) as error:
        send(key="dendrite-reminder-other")
    logged = caplog.text + str(error.value) + repr(error.value)
    for secret in (TO[2:], BODY, API_KEY, API_SECRET, "Authorization"):
        assert secret not in logged
    assert error.value.__cause__ is None and error.value.__suppress_context__


def test_inside_a_transaction_nothing_is_sent(twilio):
    # The attempt would not be committed before the request: a crash could then double it.
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        send()
    assert not twilio.requests
