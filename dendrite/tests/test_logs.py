"""Log lines carry the request's id, in JSON in production, and the request line names
the route, never the path, the query or the person."""

import json
import logging

import pytest
from django.test import Client

from dendrite.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines():
    captured: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            captured.append(self.format(record))

    handler = Keep()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("dendrite.requests")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield captured
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_a_request_is_one_json_line_with_its_route_and_id(lines, alice):
    response = Client().get(
        "/healthz?email=alice@example.org", headers={"X-Request-ID": "abc-12345678"}
    )
    assert response["X-Request-ID"] == "abc-12345678"
    entry = json.loads(lines[-1])
    assert entry["request_id"] == "abc-12345678"
    assert entry["route"] == "healthz"
    assert (entry["method"], entry["status"]) == ("GET", 200)
    assert "alice" not in lines[-1]


def test_a_made_up_request_id_is_replaced(lines):
    response = Client().get("/healthz", headers={"X-Request-ID": "<script>"})
    assert response["X-Request-ID"] != "<script>"
    assert len(response["X-Request-ID"]) == 32
    assert json.loads(lines[-1])["request_id"] == response["X-Request-ID"]


def test_paths_with_ids_are_logged_as_their_pattern(lines, alice):
    Client().get(f"/staff/patients/{alice.pk}/")
    entry = json.loads(lines[-1])
    assert str(alice.pk) not in entry["route"]
    assert "<int:" in entry["route"]
