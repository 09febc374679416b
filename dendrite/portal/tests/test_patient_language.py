"""The portal speaks the patient's language: signing in (code or passkey) or opening the
invitation link sets it for this browser, unless the patient chose one with the switch."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from dendrite.portal import actions, passkeys
from dendrite.scheduling.models import PatientMessage

from .conftest import active_account, last_code

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture(autouse=True)
def fresh_counters(db):
    cache.clear()


def prefers(patient, language: str):
    patient.preferred_language = language
    patient.save(update_fields=["preferred_language"])
    return patient


def sign_in_with_code(client: Client, patient) -> None:
    client.post("/portal/sign-in/", {"address": patient.email})
    response = client.post("/portal/sign-in/code/", {"code": last_code(patient)})
    assert response.status_code == 302 and response.url == "/portal/"


def test_a_code_sign_in_sets_the_preferred_language(alice_in):
    active_account(prefers(alice_in, "es"))
    client = Client()
    sign_in_with_code(client, alice_in)
    assert client.cookies[COOKIE].value == "es"
    home = client.get("/portal/").content.decode()
    assert '<html lang="es"' in home


def test_the_switch_wins_over_the_preference(alice_in):
    active_account(prefers(alice_in, "es"))
    client = Client()
    client.cookies[COOKIE] = "en"  # what Django's set_language leaves
    sign_in_with_code(client, alice_in)
    assert client.cookies[COOKIE].value == "en"
    assert '<html lang="en"' in client.get("/portal/").content.decode()


def test_no_preference_leaves_the_browser_language(alice_in):
    active_account(prefers(alice_in, ""))
    client = Client(headers={"accept-language": "es"})
    sign_in_with_code(client, alice_in)
    assert COOKIE not in client.cookies
    assert '<html lang="es"' in client.get("/portal/").content.decode()


def test_a_preference_for_english_overrides_a_spanish_browser(alice_in):
    active_account(prefers(alice_in, "en"))
    client = Client(headers={"accept-language": "es"})
    sign_in_with_code(client, alice_in)
    assert client.cookies[COOKIE].value == "en"


def test_a_passkey_sign_in_sets_the_preferred_language(alice_in, monkeypatch):
    account = active_account(prefers(alice_in, "es"))
    passkey = actions.add_passkey(account, credential_id="YWxp", public_key=b"k",
                                  sign_count=0, name="Phone")  # fmt: skip
    monkeypatch.setattr(passkeys, "credential_id_of", lambda body: passkey.credential_id)
    monkeypatch.setattr(passkeys, "verify_authentication", lambda request, body, key: 1)
    client = Client()
    response = client.post("/portal/passkey/", b"{}", content_type="application/json")
    assert response.json()["ok"] is True
    assert client.cookies[COOKIE].value == "es"


def test_the_invitation_link_opens_in_the_preferred_language(alice_in, nurse):
    prefers(alice_in, "es")
    actions.invite(alice_in, by=nurse)
    body = PatientMessage.objects.filter(patient=alice_in, channel="email").latest("id").body
    link = re.search(r"/portal/welcome/[^/\s]+/", body)
    assert link is not None
    client = Client()
    assert client.get(link.group(0)).status_code == 302
    assert client.cookies[COOKIE].value == "es"
    assert '<html lang="es"' in client.get("/portal/welcome/").content.decode()
