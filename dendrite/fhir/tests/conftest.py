"""The FHIR cast: Alice (Boston) has a running infusion with vital signs and weight, a
PHQ-9 and an AUDIT-C; Charlie (West Hartford) has a PHQ-9. `client` is a backend client
registered for Boston with an RSA and an EC key; `token(scope)` gets an access token the
way a SMART backend does (a signed JWT assertion posted to the token endpoint).

Time moves (tick) from Monday 7 December 2026, 14:00 UTC, so tokens expire for real."""

import time
import uuid
from typing import Any

import pytest
from django.test import Client as HttpClient
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from dendrite.fhir.models import Client
from dendrite.infusions.tests.conftest import NOW, nurse_two, running, sign
from dendrite.instruments import scoring
from dendrite.patients.actions import record_questionnaire_response
from dendrite.scheduling.models import Kind
from dendrite.scheduling.tests.conftest import clear_for_infusions, make_appointment

__all__ = ["nurse_two"]
TOKEN_PATH = "/fhir/auth/token"
TOKEN_URL = "http://testserver" + TOKEN_PATH
RSA = RSAKey.generate_key(2048, parameters={"kid": "rsa-1"})
EC = ECKey.generate_key("P-384", parameters={"kid": "ec-1"})
OTHER = RSAKey.generate_key(2048, parameters={"kid": "rsa-1"})
JWKS = {"keys": [RSA.as_dict(private=False), EC.as_dict(private=False)]}
ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


@pytest.fixture(autouse=True)
def moving(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=True)


def assertion(
    client_id: str = "registry",
    *,
    key: Any = RSA,
    alg: str = "RS384",
    aud: str = TOKEN_URL,
    lifetime: int = 240,
    jti: str | None = None,
    **claims: Any,
) -> str:
    now = int(time.time())
    body = {"iss": client_id, "sub": client_id, "aud": aud, "exp": now + lifetime,
            "jti": jti or uuid.uuid4().hex} | claims  # fmt: skip
    return jwt.encode({"alg": alg, "kid": key.kid}, body, key, algorithms=[alg])


def token_form(signed: str, scope: str = "system/*.rs") -> dict[str, str]:
    return {
        "grant_type": "client_credentials",
        "client_assertion_type": ASSERTION,
        "client_assertion": signed,
        "scope": scope,
    }


@pytest.fixture
def client(boston) -> Client:
    registered = Client.objects.create(
        name="State registry",
        client_id="registry",
        organization=boston.organization,
        jwks=JWKS,
        scopes="system/*.rs",
    )
    registered.locations.set([boston])
    return registered


@pytest.fixture
def token(client):
    def get(scope: str = "system/*.rs", **kwargs: Any) -> str:
        response = HttpClient().post(TOKEN_PATH, token_form(assertion(**kwargs), scope))
        assert response.status_code == 200, response.content
        return str(response.json()["access_token"])

    return get


@pytest.fixture
def api(token):
    """A test client that reads /fhir/ with a bearer token of `scope`."""

    def get(scope: str = "system/*.rs") -> HttpClient:
        return HttpClient(headers={"Authorization": f"Bearer {token(scope)}"})

    return get


def scored(patient, code: str, answers: list[Any], minutes: int = 0, **options: Any):
    result = scoring.score(code, answers, **options)
    return record_questionnaire_response(
        patient, result, answers, source="clinic",
        authored_at=NOW.replace(minute=minutes) - __import__("datetime").timedelta(days=1),
    )  # fmt: skip


@pytest.fixture
def records(alice, charlie, nurse, nurse_two, prescriber, prescriber_hartford):
    clear_for_infusions(alice, nurse)
    visit = make_appointment(alice, Kind.INFUSION, NOW, nurse)
    order = sign(visit, prescriber)
    infusion = running(visit, nurse, nurse_two, order)
    phq9 = scored(alice, "phq-9", [2, 2, 1, 1, 1, 1, 1, 1, 0, "LA6572-7"])
    audit_c = scored(alice, "audit-c", [1, 1, 0], minutes=5, sex="female")
    scored(charlie, "phq-9", [0, 0, 0, 0, 0, 0, 0, 0, 0, "LA6572-7"])
    return {"visit": visit, "infusion": infusion, "phq9": phq9, "audit_c": audit_c}


@pytest.fixture
def part2_consent(alice, client, prescriber):
    """Alice's 42 CFR Part 2 consent to disclose her substance-use records to `client`."""
    from dendrite.fhir.actions import record_consent
    from dendrite.fhir.models import DisclosureConsent

    return record_consent(
        DisclosureConsent(
            patient=alice, client=client, purpose="treatment",
            starts_on=NOW.date(), ends_on=NOW.date() + __import__("datetime").timedelta(days=90),
        ),
        prescriber,
    )  # fmt: skip
