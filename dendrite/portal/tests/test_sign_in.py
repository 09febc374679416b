"""Signing in with a code: wrong, expired and reused codes, the lockout, the rate limits,
the idle sign-out, signing out here and everywhere."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from dendrite.portal.models import PortalAccount, PortalSession, SignInCode
from dendrite.scheduling.models import PatientMessage

from .conftest import active_account, last_code, portal_client


@pytest.fixture(autouse=True)
def fresh_counters(db):
    cache.clear()


def ask_code(client, address="alice@example.test"):
    return client.post("/portal/sign-in/", {"address": address})


def test_a_code_to_the_address_on_file_signs_in(alice_in, client):
    active_account(alice_in)
    assert ask_code(client).url == "/portal/sign-in/code/"
    assert client.post("/portal/sign-in/code/", {"code": last_code(alice_in)}).url == "/portal/"
    session = PortalSession.objects.get()
    assert session.how == "code"
    assert client.get("/portal/").status_code == 200


def test_a_mobile_number_works_too(alice_in, client):
    active_account(alice_in)
    ask_code(client, "(617) 555-0142")
    assert SignInCode.objects.count() == 1


def test_an_unknown_address_is_answered_the_same_and_no_code_works(alice_in, client):
    active_account(alice_in)
    response = ask_code(client, "stranger@example.test")
    assert response.url == "/portal/sign-in/code/"
    assert not SignInCode.objects.exists() and not PatientMessage.objects.exists()
    page = client.post("/portal/sign-in/code/", {"code": "123456"})
    assert page.status_code == 400
    assert b"That code is not right" in page.content


def test_a_patient_never_invited_gets_no_code(alice_in, client):
    ask_code(client)
    assert not SignInCode.objects.exists()


@pytest.mark.parametrize("entered", ["", "12345", "abcdef", "1234567"])
def test_a_malformed_code_is_a_kind_message(alice_in, client, entered):
    active_account(alice_in)
    ask_code(client)
    page = client.post("/portal/sign-in/code/", {"code": entered})
    assert page.status_code == 400
    assert f'value="{entered}"'.encode() in page.content or not entered
    assert not PortalSession.objects.exists()


def test_a_wrong_code_then_the_right_one(alice_in, client):
    active_account(alice_in)
    ask_code(client)
    right = last_code(alice_in)
    wrong = "000000" if right != "000000" else "111111"
    assert (
        b"That code is not right" in client.post("/portal/sign-in/code/", {"code": wrong}).content
    )
    assert client.post("/portal/sign-in/code/", {"code": right}).status_code == 302


def test_an_expired_code_is_refused(alice_in, client):
    active_account(alice_in)
    ask_code(client)
    code = last_code(alice_in)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        page = client.post("/portal/sign-in/code/", {"code": code})
    assert b"expired or has been used" in page.content
    assert not PortalSession.objects.exists()


def test_a_code_works_once(alice_in, client):
    active_account(alice_in)
    ask_code(client)
    code = last_code(alice_in)
    client.post("/portal/sign-in/code/", {"code": code})
    other = type(client)()
    browser = other.session
    browser["portal.code"] = SignInCode.objects.get().pk
    browser.save()
    page = other.post("/portal/sign-in/code/", {"code": code})
    assert b"expired or has been used" in page.content
    assert PortalSession.objects.count() == 1


def test_a_new_code_ends_the_old_one(alice_in, client):
    active_account(alice_in)
    ask_code(client)
    first = last_code(alice_in)
    ask_code(client)
    if first != last_code(alice_in):
        assert client.post("/portal/sign-in/code/", {"code": first}).status_code == 400


def test_a_code_has_a_few_tries(alice_in, client, settings):
    settings.PORTAL_CODE_ATTEMPTS = 3
    active_account(alice_in)
    ask_code(client)
    right = last_code(alice_in)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(3):
        client.post("/portal/sign-in/code/", {"code": wrong})
    page = client.post("/portal/sign-in/code/", {"code": right})
    assert b"expired or has been used" in page.content


def test_too_many_wrong_codes_lock_the_account(alice_in, client, settings):
    settings.PORTAL_LOCKOUT_FAILURES = 4
    account = active_account(alice_in)
    for _ in range(2):
        ask_code(client)
        right = last_code(alice_in)
        wrong = "000000" if right != "000000" else "111111"
        for _ in range(2):
            page = client.post("/portal/sign-in/code/", {"code": wrong})
    assert b"signing in is paused" in page.content
    account.refresh_from_db()
    assert account.is_locked()
    sent = SignInCode.objects.count()
    ask_code(client)  # no code while locked
    assert SignInCode.objects.count() == sent
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31)):
        ask_code(client)
        assert SignInCode.objects.count() == sent + 1


def test_codes_to_one_address_are_limited(alice_in, client, settings):
    settings.PORTAL_CODES_PER_ADDRESS = 2
    active_account(alice_in)
    for _ in range(4):
        ask_code(client)
    assert SignInCode.objects.count() == 2


def test_attempts_from_one_client_address_are_limited(alice_in, client, settings):
    settings.PORTAL_ATTEMPTS_PER_CLIENT = 3
    active_account(alice_in)
    for _ in range(3):
        ask_code(client, "nobody@example.test")
    response = ask_code(client)
    assert response.status_code == 429
    assert b"Too many tries from this device" in response.content
    assert not SignInCode.objects.exists()


def test_idle_sign_out(alice_in, settings):
    client = portal_client(alice_in)
    assert client.get("/portal/").status_code == 200
    with time_machine.travel(
        timezone.now() + dt.timedelta(seconds=settings.PORTAL_IDLE_TIMEOUT_SECONDS + 5)
    ):
        response = client.get("/portal/", follow=True)
    assert response.redirect_chain[-1][0] == "/portal/sign-in/"
    assert b"You were signed out" in response.content
    assert PortalSession.objects.get().ended_at is not None


def test_sign_out(alice_in):
    client = portal_client(alice_in)
    assert client.post("/portal/sign-out/").url == "/portal/sign-in/"
    assert client.get("/portal/").url == "/portal/sign-in/"
    assert PortalSession.objects.get().ended_at is not None


def test_sessions_listed_and_one_ended_from_another(alice_in):
    phone, laptop = portal_client(alice_in), portal_client(alice_in)
    page = phone.get("/portal/security/")
    assert page.content.count(b"/end/") == 2
    other = PortalSession.objects.order_by("id").last()
    assert phone.post(f"/portal/security/sessions/{other.pk}/end/").status_code == 302
    assert laptop.get("/portal/").url == "/portal/sign-in/"
    assert phone.get("/portal/").status_code == 200


def test_sign_out_everywhere(alice_in):
    phone, laptop = portal_client(alice_in), portal_client(alice_in)
    phone.post("/portal/security/sign-out-everywhere/")
    assert laptop.get("/portal/").url == "/portal/sign-in/"
    assert phone.get("/portal/").url == "/portal/sign-in/"
    assert not PortalSession.objects.live().exists()
    assert PortalAccount.objects.get().is_active


def test_the_tidy_up_ends_idle_sessions_and_deletes_old_codes(alice_in, client, settings):
    from django.core.management import call_command

    active_account(alice_in)
    ask_code(client)
    portal_client(alice_in)
    later = timezone.now() + dt.timedelta(days=2)
    with time_machine.travel(later):
        call_command("tidy_portal")
    assert not SignInCode.objects.exists()
    assert not PortalSession.objects.live().exists()
