"""The public scoring API against abuse: a made-up X-Forwarded-For is no new identity,
and JSON nested past what the decoder can follow is a 400, not a 500."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

SCORE = reverse("instruments:score", args=["phq-2"])


@pytest.fixture(autouse=True)
def three_a_minute(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"scoring": "3/minute"},
    }
    yield
    cache.clear()


def post(address: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": address}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return APIClient().post(SCORE, {"answers": [0, 0]}, format="json", **headers)


def test_a_random_forwarded_header_does_not_reset_the_limit():
    statuses = [post("203.0.113.5", f"10.0.0.{number}").status_code for number in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_behind_one_proxy_the_limit_counts_the_address_the_proxy_saw(settings):
    settings.PROXY_COUNT = 1
    # The client wrote the first part; the proxy (127.0.0.1) appended the real address.
    first = [post("127.0.0.1", f"6.6.6.{n}, 203.0.113.5").status_code for n in range(4)]
    assert first == [200, 200, 200, 429]
    assert post("127.0.0.1", "198.51.100.7").status_code == 200  # somebody else


def test_json_nested_ten_thousand_levels_deep_is_a_400_not_a_500():
    body = '{"answers": ' + "[" * 10_000 + "]" * 10_000 + "}"
    client = APIClient()
    client.raise_request_exception = False
    response = client.post(SCORE, body, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["errors"]["body"]


def test_moderately_nested_answers_get_a_clear_scoring_error():
    body = '{"answers": ' + "[" * 500 + "]" * 500 + "}"
    response = APIClient().post(SCORE, body, content_type="application/json")
    assert response.status_code == 400
    assert "answers" in response.json()["errors"]
