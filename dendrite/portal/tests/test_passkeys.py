"""Passkeys, the bad input: a forged or mangled answer, no ceremony started, an unknown
credential, another site's origin. (The whole ceremony runs in test_browser.py with
Chromium's virtual authenticator.)"""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from dendrite.portal import actions, passkeys
from dendrite.portal.models import Passkey, PortalSession

from .conftest import active_account, portal_client


@pytest.fixture(autouse=True)
def fresh_counters(db):
    cache.clear()


def test_sign_in_options_are_json_with_a_challenge(client):
    response = client.post("/portal/passkey/options/")
    options = json.loads(response.content)
    assert options["rpId"] == "testserver"
    assert options["userVerification"] == "required"
    assert options["challenge"]


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b'{"id": ""}', b'{"id": "bm9uZQ"}'])
def test_a_bad_or_unknown_answer_signs_nobody_in(client, body):
    client.post("/portal/passkey/options/")
    response = client.post("/portal/passkey/", body, content_type="application/json")
    assert response.status_code == 400
    assert json.loads(response.content)["ok"] is False
    assert not PortalSession.objects.exists()


def test_an_answer_without_a_ceremony_is_refused(alice_in, client):
    account = active_account(alice_in)
    actions.add_passkey(account, credential_id="a2V5", public_key=b"k", sign_count=0, name="x")
    response = client.post("/portal/passkey/", b'{"id": "a2V5", "rawId": "a2V5"}',
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert not PortalSession.objects.exists()


def test_registration_needs_a_portal_session_and_a_ceremony(alice_in):
    assert Client().post("/portal/security/passkeys/options/").url == "/portal/sign-in/"
    client = portal_client(alice_in)
    response = client.post("/portal/security/passkeys/", b"{}", content_type="application/json")
    assert response.status_code == 400
    options = json.loads(client.post("/portal/security/passkeys/options/").content)
    assert options["authenticatorSelection"]["residentKey"] == "required"
    forged = {"id": "eA", "rawId": "eA", "type": "public-key",
              "response": {"clientDataJSON": "e30", "attestationObject": "oA"}}  # fmt: skip
    response = client.post("/portal/security/passkeys/", forged, content_type="application/json")
    assert response.status_code == 400
    assert not Passkey.objects.exists()


def test_another_sites_origin_is_not_ours(rf, settings):
    settings.ALLOWED_HOSTS = ["clinic.example", "evil.example"]
    request = rf.post("/", HTTP_HOST="clinic.example")
    assert passkeys.rp_id(request) == "clinic.example"
    settings.PORTAL_PASSKEY_RP_ID = "clinic.example"
    other = rf.post("/", HTTP_HOST="evil.example")
    assert passkeys.rp_id(other) == "clinic.example"  # the configured site, whatever the host


def test_the_patient_removes_a_passkey(alice_in):
    client = portal_client(alice_in)
    account = PortalSession.objects.get().account
    passkey = actions.add_passkey(account, credential_id="a2V5", public_key=b"k", sign_count=0,
                                  name="My phone")  # fmt: skip
    assert b"My phone" in client.get("/portal/security/").content
    client.post(f"/portal/security/passkeys/{passkey.pk}/remove/")
    assert not Passkey.objects.exists()
