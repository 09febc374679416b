"""The session id changes again once the second factor is given, so an id learnt or
planted between the password and the code (session fixation) opens nothing."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from dendrite.conftest import PASSWORD, current_code

pytestmark = pytest.mark.django_db


def session_id(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_session_id_changes_after_the_code_and_the_old_one_opens_nothing(nurse):
    client = Client()
    client.post(reverse("accounts:login"), {"username": nurse.username, "password": PASSWORD})
    halfway = session_id(client)
    assert client.post(reverse("accounts:mfa"), {"token": current_code(nurse)}).status_code == 302
    assert session_id(client) != halfway
    assert client.get(reverse("accounts:home")).status_code == 200
    # Someone holding the id from between the two steps gets nowhere.
    intruder = Client()
    intruder.cookies[settings.SESSION_COOKIE_NAME] = halfway
    assert intruder.get(reverse("accounts:home")).status_code == 302


def test_the_session_id_changes_after_enrolling_an_authenticator(nurse):
    TOTPDevice.objects.filter(user=nurse).delete()
    client = Client()
    client.post(reverse("accounts:login"), {"username": nurse.username, "password": PASSWORD})
    client.get(reverse("accounts:enrol"))
    halfway = session_id(client)
    device = TOTPDevice.objects.get(user=nurse, confirmed=False)
    device.confirmed = True  # current_code reads a confirmed device
    device.save()
    code = current_code(nurse)
    device.confirmed = False
    device.save()
    assert client.post(reverse("accounts:enrol"), {"token": code}).status_code == 302
    assert session_id(client) != halfway
