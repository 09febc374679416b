import pytest

from dendrite.outbox.tests import fake_twilio


@pytest.fixture
def twilio(settings):
    """Texts go through the Twilio backend and its SDK to a fake of Twilio's API on
    127.0.0.1 (fake_twilio.py), never to the internet."""
    fake, server = fake_twilio.start()
    fake_twilio.current = fake
    settings.SMS_BACKEND = "dendrite.outbox.tests.fake_twilio.FakeTwilioBackend"
    settings.TWILIO_ACCOUNT_SID = fake_twilio.ACCOUNT_SID
    settings.TWILIO_API_KEY = fake_twilio.API_KEY
    settings.TWILIO_API_SECRET = fake_twilio.API_SECRET
    settings.TWILIO_SENDER = fake_twilio.SENDER
    yield fake
    fake_twilio.current = None
    server.shutdown()
    server.server_close()
