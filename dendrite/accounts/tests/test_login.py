"""Signing in: password, then the second factor; mistakes get clear pages."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from dendrite.audit.models import AuditEvent
from dendrite.conftest import PASSWORD, current_code

pytestmark = pytest.mark.django_db


def sign_in(client, user, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": password})


def test_the_login_page_renders_for_anyone(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert b"Staff sign in" in response.content


def test_a_correct_password_leads_to_the_code_step_not_the_workspace(client, nurse):
    response = sign_in(client, nurse)
    assert response.status_code == 302
    home = client.get(reverse("accounts:home"))
    assert home.status_code == 302
    assert home.url.startswith(reverse("accounts:mfa"))


def test_password_and_current_code_open_the_staff_home(client, nurse, boston):
    sign_in(client, nurse)
    response = client.post(reverse("accounts:mfa"), {"token": current_code(nurse)}, follow=True)
    assert response.status_code == 200
    assert b"Your locations" in response.content
    assert boston.name.encode() in response.content
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions == ["auth.login", "mfa.verified"]


def test_a_wrong_password_says_so_kindly_and_keeps_the_username(client, nurse):
    response = sign_in(client, nurse, password="not-the-password")
    assert response.status_code == 200
    assert b"do not match an account" in response.content
    assert f'value="{nurse.username}"'.encode() in response.content
    assert AuditEvent.objects.filter(action="auth.login_failed", outcome="failure").exists()


def test_a_wrong_code_is_refused_with_a_clear_message(client, nurse):
    sign_in(client, nurse)
    response = client.post(reverse("accounts:mfa"), {"token": "000000"})
    assert response.status_code == 200
    assert b"That code did not work" in response.content
    assert client.get(reverse("accounts:home")).status_code != 200
    assert AuditEvent.objects.filter(action="mfa.failed").exists()


def test_a_code_cannot_be_used_twice(client, nurse):
    code = current_code(nurse)
    sign_in(client, nurse)
    assert client.post(reverse("accounts:mfa"), {"token": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    sign_in(client, nurse)
    response = client.post(reverse("accounts:mfa"), {"token": code})
    assert response.status_code == 200
    assert b"That code did not work" in response.content


def test_a_recovery_code_signs_in_once(client, nurse):
    device = StaticDevice.objects.create(user=nurse, name="Recovery codes")
    StaticToken.objects.create(device=device, token="abcd1234ef567890")
    sign_in(client, nurse)
    response = client.post(reverse("accounts:mfa"), {"token": "abcd1234-ef567890"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="mfa.recovery_code_used").exists()
    assert not StaticToken.objects.filter(device=device).exists()


def test_repeated_failures_lock_the_account_with_a_clear_page(client, nurse, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, nurse, password="wrong-password")
    response = sign_in(client, nurse)  # even the right password is refused now
    assert response.status_code == 429
    assert b"This account is locked for now" in response.content
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()


def test_next_never_sends_the_user_to_another_site(client, nurse):
    sign_in(client, nurse)
    response = client.post(
        reverse("accounts:mfa") + "?next=https://evil.example/", {"token": current_code(nurse)}
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:home")
