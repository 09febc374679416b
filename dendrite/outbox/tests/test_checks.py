"""The text-message backend's checks (outbox/checks.py): a production server whose texts
reach no phone is warned about by `check --deploy`; the Twilio backend refuses to run
half-configured, or with a timeout longer than a worker's hold on a message."""

from dendrite.outbox import checks

TWILIO = "dendrite.outbox.twilio.TwilioBackend"


def ids(messages):
    return [message.id for message in messages]


def test_production_texts_to_files_are_warned_about(settings):
    settings.DEBUG = False
    for backend in ("dendrite.sms.FileBackend", "dendrite.sms.ConsoleBackend"):
        settings.SMS_BACKEND = backend
        assert ids(checks.texts_reach_phones()) == ["outbox.W001"]
    settings.SMS_BACKEND = TWILIO
    assert checks.texts_reach_phones() == []


def test_the_demo_may_print_its_texts(settings):
    settings.DEBUG = True
    settings.SMS_BACKEND = "dendrite.sms.ConsoleBackend"
    assert checks.texts_reach_phones() == []


def test_twilio_without_its_settings_is_an_error_naming_what_is_missing(settings):
    settings.SMS_BACKEND = TWILIO
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_API_SECRET = ""
    settings.TWILIO_SENDER = ""
    [error] = checks.twilio_is_configured()
    assert error.id == "outbox.E001"
    assert "DENDRITE_TWILIO_API_SECRET, DENDRITE_TWILIO_SENDER" in error.hint
    settings.TWILIO_API_SECRET = "secret"
    settings.TWILIO_SENDER = "+16175550100"
    assert checks.twilio_is_configured() == []


def test_a_timeout_longer_than_a_workers_hold_is_warned_about(settings):
    settings.SMS_BACKEND = TWILIO
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_API_SECRET = "AC" + "0" * 32, "secret"
    settings.TWILIO_SENDER = "+16175550100"
    settings.SMS_TIMEOUT_SECONDS = 60
    assert ids(checks.twilio_is_configured()) == ["outbox.W002"]


def test_other_backends_need_no_twilio_settings(settings):
    settings.SMS_BACKEND = "dendrite.sms.FileBackend"
    settings.TWILIO_ACCOUNT_SID = ""
    assert checks.twilio_is_configured() == []
