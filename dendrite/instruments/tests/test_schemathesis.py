"""The JSON API keeps the promises of its OpenAPI schema: schemathesis, with every one of
its checks, against every operation of the schema the server serves (/api/schema/).

Positive data (bodies the schema allows) must be scored, negative data refused with a
documented 4xx, every status code, content type and body documented. The API needs no
sign-in (the scoring stores nothing and holds no identity), so nothing is authenticated.
Deterministic: derandomized hypothesis, no example database, a few examples per phase.
Stand-alone against a running server: docs/development.md, "The JSON API's schema".
"""

from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.core.failures import FailureGroup

from dendrite.instruments import loader

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/schema/?format=json"


def served_schema() -> Any:
    return schemathesis.openapi.from_wsgi(SCHEMA_URL, get_wsgi_application())


@pytest.fixture(autouse=True)
def connection_kept_open() -> Iterator[None]:
    """As Django's test client does: a request through the WSGI application would close
    the test's database connection when it ends."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded at collection, through the WSGI application (the schema view reads no table).
schema = served_schema()


@schema.parametrize()
@settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=6,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_every_promise_of_its_schema(case: Any) -> None:
    cache.clear()  # the scoring rate limit counts per address; every example starts afresh
    case.call_and_validate()


def test_the_checks_catch_an_undocumented_response(db: None) -> None:
    """What the test above relies on: a response the schema does not name is a failure."""
    raw = served_schema().raw_schema
    del raw["paths"]["/api/v1/instruments/{code}/"]["get"]["responses"]["404"]
    raw["paths"]["/api/v1/instruments/{code}/"]["get"]["parameters"][0]["schema"].pop("enum")
    weakened = schemathesis.openapi.from_dict(raw)
    weakened.app = get_wsgi_application()
    operation = weakened["/api/v1/instruments/{code}/"]["GET"]
    case = operation.Case(path_parameters={"code": "phq-99"})
    with pytest.raises(FailureGroup, match="Undocumented status code"):
        case.call_and_validate()


def test_the_instrument_code_is_an_enum_of_the_registry(db: None) -> None:
    raw = served_schema().raw_schema
    (code,) = raw["paths"]["/api/v1/instruments/{code}/"]["get"]["parameters"]
    assert code["schema"]["enum"] == list(loader.instrument_codes())


@pytest.mark.parametrize("code", loader.instrument_codes())
def test_each_instruments_body_refuses_null_answers_and_strangers(db: None, code: str) -> None:
    raw = served_schema().raw_schema
    operation = raw["paths"][f"/api/v1/instruments/{code}/score"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = raw["components"]["schemas"][ref.rsplit("/", 1)[1]]
    validator = jsonschema.Draft202012Validator(body)
    assert not validator.is_valid({"answers": None})
    assert not validator.is_valid({"answers": [], "colour": "blue"})
    assert not validator.is_valid({"answers": "all of them"})
    assert {"400", "404", "415", "429"} <= set(operation["responses"])
