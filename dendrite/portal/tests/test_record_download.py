"""The patient's own copy: a PDF summary and a FHIR R4 Bundle (checked with
fhir.resources' R4B models, the closest release it ships), theirs only, audited."""

import datetime as dt
import json

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from dendrite.audit.models import AuditEvent
from dendrite.outcomes.tests.outcome_data import add_score
from dendrite.tests.pdf_text import laid_out_text

from .conftest import portal_client, soon, visit


def test_the_fhir_bundle_is_valid_and_the_patients_own(alice_in, bob_in, nurse):
    visit(alice_in, nurse, soon(3))
    add_score(alice_in, timezone.now() - dt.timedelta(days=2), 12)
    add_score(bob_in, timezone.now() - dt.timedelta(days=2), 20)
    response = portal_client(alice_in).get("/portal/record/my-record.fhir.json")
    assert response["Content-Type"] == "application/fhir+json"
    data = json.loads(response.content)
    bundle = Bundle.model_validate(data)
    kinds = sorted(entry.resource.get_resource_type() for entry in bundle.entry)
    assert kinds == ["Appointment", "Observation", "Patient"]
    patient = data["entry"][0]["resource"]
    assert patient["name"][0]["family"] == "Lovelace"
    observation = next(
        e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Observation"
    )
    assert observation["valueInteger"] == 12
    assert observation["code"]["coding"][0]["system"] == "http://loinc.org"
    assert b"Hopper" not in response.content
    assert AuditEvent.objects.filter(action="portal.record.export", detail__format="fhir").exists()


def test_the_pdf_summary(alice_in, nurse):
    visit(alice_in, nurse, soon(3))
    add_score(alice_in, timezone.now() - dt.timedelta(days=2), 12)
    response = portal_client(alice_in).get("/portal/record/my-record.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = laid_out_text(response)
    assert "Lovelace" in text and "12" in text


def test_no_download_without_signing_in(client):
    assert client.get("/portal/record/my-record.pdf").url == "/portal/sign-in/"
    assert client.get("/portal/record/my-record.fhir.json").url == "/portal/sign-in/"
