"""Every response carries the security headers a browser needs to protect staff and patients."""

import datetime as dt

import pytest
from django.urls import reverse

from dendrite.conftest import PASSWORD, current_code, signed_in

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_the_content_security_policy_allows_only_our_own_scripts(client):
    directives = csp_directives(client.get(reverse("accounts:login")))
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_a_staff_page_carries_the_same_policy(nurse):
    response = signed_in(nurse).get(reverse("accounts:home"))
    assert response.status_code == 200
    assert csp_directives(response)["script-src"] == ["'self'"]


def test_pages_cannot_be_framed_sniffed_or_leak_the_referrer(client):
    response = client.get(reverse("accounts:login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_camera_microphone_and_location_are_switched_off(client):
    policy = client.get(reverse("accounts:login"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy


def test_the_public_home_page_carries_the_headers_too(client):
    response = client.get(reverse("website:home"))
    assert "Content-Security-Policy" in response
    assert "Permissions-Policy" in response
    assert response["X-Frame-Options"] == "DENY"


def test_the_session_cookie_after_sign_in_is_hidden_from_scripts_and_other_sites(
    client, nurse, time_machine
):
    time_machine.move_to(NOON, tick=False)
    client.post(reverse("accounts:login"), {"username": nurse.username, "password": PASSWORD})
    response = client.post(reverse("accounts:mfa"), {"token": current_code(nurse)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_https_responses_tell_the_browser_to_insist_on_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse("accounts:login"), secure=True)
    hsts = response["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


def test_plain_http_responses_do_not_send_hsts(client, settings):
    # Browsers ignore HSTS over http; sending it there would only be noise.
    settings.SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    response = client.get(reverse("accounts:login"))
    assert "Strict-Transport-Security" not in response
