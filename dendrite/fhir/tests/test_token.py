"""The token endpoint (SMART Backend Services): a signed, fresh, unreplayed assertion
from a registered key gets a five-minute token; anything else an OAuth error."""

import json

import pytest
from django.test import Client as HttpClient
from joserfc import jwt
from joserfc.jwk import OctKey

from dendrite.audit.models import AuditEvent
from dendrite.conftest import signed_in
from dendrite.fhir.models import AccessToken

from .conftest import EC, JWKS, OTHER, RSA, TOKEN_PATH, assertion, token_form

pytestmark = pytest.mark.django_db


def post(form):
    return HttpClient().post(TOKEN_PATH, form)


def test_rs384_and_es384_assertions_get_a_token(client):
    for key, alg in ((RSA, "RS384"), (EC, "ES384")):
        response = post(token_form(assertion(key=key, alg=alg), "system/Patient.rs"))
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["token_type"] == "bearer"
        assert body["expires_in"] == 300
        assert body["scope"] == "system/Patient.rs"
        assert response["Cache-Control"] == "no-store"
    stored = AccessToken.objects.first()
    assert body["access_token"] not in stored.token_hash  # only the hash is kept
    assert AuditEvent.objects.filter(action="fhir.token.issue", outcome="success").count() == 2


def test_a_replayed_assertion_is_refused(client):
    signed = assertion(jti="once")
    assert post(token_form(signed)).status_code == 200
    again = post(token_form(signed))
    assert again.status_code == 401
    assert again.json()["error"] == "invalid_client"


def test_scopes_are_narrowed_to_the_registration(client):
    client.scopes = "system/Patient.rs system/Observation.read"
    client.save()
    body = post(
        token_form(
            assertion(),
            "system/Patient.rs system/Appointment.rs system/Observation.rs system/Patient.cruds",
        )
    ).json()
    assert body["scope"] == "system/Patient.rs system/Observation.rs"
    refused = post(token_form(assertion(), "system/Appointment.rs"))
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_scope"


@pytest.mark.parametrize(
    ("form", "error"),
    [
        (lambda: token_form(assertion(key=OTHER)), "invalid_client"),  # wrong key, same kid
        (lambda: token_form(assertion(lifetime=-120)), "invalid_client"),  # expired
        (lambda: token_form(assertion(lifetime=3600)), "invalid_client"),  # exp too far
        (lambda: token_form(assertion(aud="https://elsewhere/token")), "invalid_client"),
        (lambda: token_form(assertion("stranger")), "invalid_client"),
        (lambda: token_form(assertion(sub="someone-else")), "invalid_client"),
        (lambda: token_form(assertion(key=RSA, alg="RS256")), "invalid_client"),
        (
            lambda: token_form(
                jwt.encode(
                    {"alg": "HS384"},
                    {"iss": "registry"},
                    OctKey.generate_key(384),
                    algorithms=["HS384"],
                )
            ),
            "invalid_client",
        ),
        (
            lambda: token_form(
                jwt.encode({"alg": "none"}, {"iss": "registry"}, None, algorithms=["none"])
            ),
            "invalid_client",
        ),
        (lambda: token_form("not.a.jwt"), "invalid_client"),
        (lambda: token_form(""), "invalid_request"),
        (lambda: token_form(assertion()) | {"grant_type": "password"}, "unsupported_grant_type"),
        (lambda: token_form(assertion()) | {"client_assertion_type": "x"}, "invalid_request"),
        (lambda: token_form(assertion(), "user/Patient.rs"), "invalid_scope"),
        (lambda: token_form(assertion(), "system/Patient.rs?name=x"), "invalid_scope"),
        (lambda: token_form(assertion(), ""), "invalid_scope"),
    ],
)
def test_bad_assertions_get_an_oauth_error(client, form, error):
    response = post(form())
    assert response.status_code in (400, 401)
    assert response.json()["error"] == error
    assert not AccessToken.objects.exists()


def test_an_inactive_client_gets_nothing_and_loses_its_tokens(client, token):
    issued = token()
    reader = HttpClient(headers={"Authorization": f"Bearer {issued}"})
    assert reader.get("/fhir/Location").status_code == 200
    client.is_active = False
    client.save()
    assert reader.get("/fhir/Location").status_code == 401
    assert post(token_form(assertion())).status_code == 401


def test_a_clinic_admin_registers_a_client_in_the_back_office(boston, clinic_admin):
    clinic_admin.is_staff = True
    clinic_admin.save()
    from django.contrib.auth.models import Permission

    clinic_admin.user_permissions.set(Permission.objects.filter(content_type__app_label="fhir"))
    browser = signed_in(clinic_admin)
    form = {
        "name": "Payer", "client_id": "payer", "organization": boston.organization_id,
        "locations": [boston.pk], "scopes": "system/Patient.rs  system/*.read",
        "jwks": json.dumps(JWKS), "is_active": "on",
    }  # fmt: skip
    private = form | {"jwks": json.dumps({"keys": [RSA.as_dict(private=True)]})}
    page = browser.post("/admin/fhir/client/add/", private)
    assert page.status_code == 200
    assert "private key" in page.content.decode()
    bad_scope = form | {"scopes": "patient/Patient.read"}
    assert browser.post("/admin/fhir/client/add/", bad_scope).status_code == 200
    added = browser.post("/admin/fhir/client/add/", form)
    assert added.status_code == 302
    from dendrite.fhir.models import Client

    saved = Client.objects.get(client_id="payer")
    assert saved.scopes == "system/Patient.rs system/*.read"
    assert list(saved.locations.all()) == [boston]


def test_the_site_address_is_an_audience_too(client, settings):
    settings.SITE_URL = "https://clinic.example"
    signed = assertion(aud="https://clinic.example/fhir/auth/token")
    assert post(token_form(signed)).status_code == 200


def test_token_requests_are_limited_per_address(client, monkeypatch):
    from dendrite.fhir import views
    from dendrite.ratelimit import Window

    monkeypatch.setattr(views, "TOKEN_REQUESTS", Window("fhir-token-test", 2, 60))
    assert post(token_form(assertion())).status_code == 200
    assert post(token_form(assertion())).status_code == 200
    refused = post(token_form(assertion()))
    assert refused.status_code == 429
    assert refused.json()["error"] == "slow_down"
