"""The language switch's cookie is SameSite and out of scripts' reach (and Secure in
production: test_settings.py checks that in a production process)."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_language_cookie_is_same_site_and_http_only(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es"
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True
