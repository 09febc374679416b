"""First sign-in: enrol an authenticator by QR code, then get one-time recovery codes."""

import base64
import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dendrite.accounts.models import Role, User
from dendrite.audit.models import AuditEvent
from dendrite.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(boston):
    user = User.objects.create_user("nina_new", password=PASSWORD, role=Role.NURSE)
    user.locations.set([boston])
    return user


def start(client, user):
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    return client.get(reverse("accounts:home"), follow=True)


def shown_secret(response) -> str:
    return (
        re.search(rb'<code class="secret">([A-Z2-7=]+)</code>', response.content).group(1).decode()
    )


def test_a_user_without_an_authenticator_is_sent_to_enrol_with_a_qr_code(client, newcomer):
    response = start(client, newcomer)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:enrol"))
    assert b"data:image/svg+xml" in response.content
    assert TOTPDevice.objects.get(user=newcomer).confirmed is False


def test_confirming_the_code_enrols_and_shows_ten_recovery_codes_once(client, newcomer):
    secret = shown_secret(start(client, newcomer))
    code = f"{totp(base64.b32decode(secret)):06d}"
    response = client.post(reverse("accounts:enrol"), {"token": code}, follow=True)
    assert b"They are shown only now" in response.content
    assert (
        len(re.findall(rb"<li><code>[0-9a-f]{8}-[0-9a-f]{8}</code></li>", response.content)) == 10
    )
    assert TOTPDevice.objects.get(user=newcomer).confirmed is True
    assert StaticToken.objects.filter(device__user=newcomer).count() == 10
    assert AuditEvent.objects.filter(action="mfa.enrolled", actor_id=newcomer.pk).exists()
    again = client.get(reverse("accounts:recovery_codes"))
    assert b"They are shown only now" not in again.content
    assert client.get(reverse("accounts:home")).status_code == 200


def test_a_wrong_code_does_not_enrol(client, newcomer):
    start(client, newcomer)
    response = client.post(reverse("accounts:enrol"), {"token": "123456"})
    assert b"That code did not work" in response.content
    assert TOTPDevice.objects.get(user=newcomer).confirmed is False
    assert client.get(reverse("accounts:home")).status_code == 302


def test_the_enrol_page_keeps_the_same_secret_on_reload(client, newcomer):
    first = shown_secret(start(client, newcomer))
    second = shown_secret(client.get(reverse("accounts:enrol")))
    assert first == second


def test_an_enrolled_user_cannot_reach_the_enrol_page_to_replace_the_device(client, nurse):
    client.post(reverse("accounts:login"), {"username": nurse.username, "password": PASSWORD})
    response = client.get(reverse("accounts:enrol"))
    assert response.status_code == 302 and response.url == reverse("accounts:mfa")


def test_new_recovery_codes_replace_the_old_ones(nurse):
    from dendrite.accounts.mfa import new_recovery_codes

    old = new_recovery_codes(nurse)
    new = new_recovery_codes(nurse)
    stored = set(StaticToken.objects.filter(device__user=nurse).values_list("token", flat=True))
    assert stored == {code.replace("-", "") for code in new}
    assert not stored & {code.replace("-", "") for code in old}
