"""Clients nobody here wrote read the API through a live server: the SMART `fhirclient`
library (backend services: it posts our signed JWT assertion itself) and `fhirpy`
(with a token got the same way)."""

import pytest
import requests

from .conftest import assertion, token_form

pytestmark = pytest.mark.django_db(transaction=True)
SCOPE = "system/Patient.rs system/Observation.rs system/Appointment.rs"


def test_fhirclient_reads_scores_vitals_and_appointments(
    live_server, client, records, part2_consent, alice
):
    from fhirclient import client as smart_client
    from fhirclient.models.appointment import Appointment
    from fhirclient.models.observation import Observation
    from fhirclient.models.patient import Patient

    smart = smart_client.FHIRClient(
        settings={
            "app_id": "registry",
            "api_base": f"{live_server.url}/fhir/",
            "scope": SCOPE,
            "jwt_token": assertion(aud=f"{live_server.url}/fhir/auth/token"),
        }
    )
    smart.prepare()  # reads /fhir/metadata, finds the token endpoint
    smart.authorize()  # client_credentials with our assertion
    assert smart.ready
    patient = Patient.read(str(alice.pk), smart.server)
    assert patient.name[0].family == "Lovelace"
    observations = Observation.where(struct={"patient": str(alice.pk)}).perform_resources(
        smart.server
    )
    codes = {o.code.coding[0].code for o in observations}
    assert {"44261-6", "85354-9", "29463-7"} <= codes
    appointments = Appointment.where(struct={"patient": str(alice.pk)}).perform_resources(
        smart.server
    )
    assert [a.status for a in appointments] == ["checked-in"]


def test_fhirclient_parses_every_type_we_serve(live_server, client, records):
    """fhirclient's own R4 models parse every resource strictly (unknown or misshapen
    elements raise)."""
    import importlib

    from fhirclient import client as smart_client

    from .test_api import MODULES, TYPES

    smart = smart_client.FHIRClient(
        settings={
            "app_id": "registry",
            "api_base": f"{live_server.url}/fhir/",
            "scope": "system/*.rs",
            "jwt_token": assertion(aud=f"{live_server.url}/fhir/auth/token"),
        }
    )
    smart.prepare()
    smart.authorize()
    for name in TYPES:
        module = importlib.import_module(f"fhirclient.models.{MODULES.get(name, name.lower())}")
        found = getattr(module, name).where(struct={}).perform_resources(smart.server)
        assert found, name


def test_fhirpy_reads_scores_and_appointments(live_server, client, records, part2_consent, alice):
    from fhirpy import SyncFHIRClient

    token_url = f"{live_server.url}/fhir/auth/token"
    got = requests.post(token_url, data=token_form(assertion(aud=token_url), SCOPE), timeout=30)
    assert got.status_code == 200, got.text
    fhir = SyncFHIRClient(
        f"{live_server.url}/fhir", authorization=f"Bearer {got.json()['access_token']}"
    )
    scores = (
        fhir.resources("Observation").search(patient=str(alice.pk), category="survey").fetch_all()
    )
    assert sorted(o["code"]["coding"][0]["code"] for o in scores) == ["44261-6", "75626-2"]
    many = fhir.resources("Observation").search(patient=str(alice.pk)).limit(2).fetch_all()
    assert len(many) > 2  # followed the next links
    visits = fhir.resources("Appointment").search(patient=str(alice.pk)).fetch_all()
    assert len(visits) == 1
    assert visits[0]["participant"][0]["actor"]["reference"] == f"Patient/{alice.pk}"
