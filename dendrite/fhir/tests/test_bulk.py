"""Bulk Data $export: kick-off (202 + status URL), the export as a task, the manifest of
NDJSON files, the files themselves, cancel, and removal after the retention time."""

import json

import pytest
from django.core.management import call_command
from django.test import Client as HttpClient

from dendrite.audit.models import AuditEvent
from dendrite.fhir.models import ExportJob

from .test_api import validate

pytestmark = pytest.mark.django_db
ASYNC = {"HTTP_PREFER": "respond-async", "HTTP_ACCEPT": "application/fhir+json"}


@pytest.fixture(autouse=True)
def export_root(settings, tmp_path):
    settings.FHIR_EXPORT_ROOT = tmp_path / "exports"
    return settings.FHIR_EXPORT_ROOT


def kick(reader: HttpClient, path: str = "/fhir/$export", **params):
    response = reader.get(path, params, **ASYNC)
    assert response.status_code == 202, response.content
    return response["Content-Location"]


def test_system_export_writes_valid_ndjson_per_type(api, records, run_worker, export_root):
    reader = api()
    status_url = kick(reader)
    pending = reader.get(status_url)
    assert pending.status_code == 202
    assert pending["Retry-After"]
    run_worker()
    done = reader.get(status_url)
    assert done.status_code == 200
    assert done["Expires"]
    manifest = done.json()
    assert manifest["requiresAccessToken"] is True
    types = {o["type"] for o in manifest["output"]}
    assert {"Patient", "Observation", "Appointment", "MedicationAdministration"} <= types
    total = 0
    for item in manifest["output"]:
        response = reader.get(item["url"])
        assert response.status_code == 200
        assert response["Content-Type"] == "application/fhir+ndjson"
        lines = b"".join(response.streaming_content).decode().splitlines()
        assert len(lines) == item["count"]
        for line in lines:
            resource = json.loads(line)
            assert resource["resourceType"] == item["type"]
            validate(resource)
        total += len(lines)
    patients = next(o for o in manifest["output"] if o["type"] == "Patient")
    assert patients["count"] == 1  # Alice only: Charlie is at West Hartford
    event = AuditEvent.objects.filter(action="fhir.bulk.export").get()
    assert event.actor_username == "State registry"
    # Another client (or no token) cannot poll or fetch it.
    assert HttpClient().get(status_url).status_code == 401
    # Past the retention time the sweep removes the files and the job.
    ExportJob.objects.update(expires_at="2000-01-01T00:00:00Z")
    call_command("sweep_fhir_exports")
    assert not ExportJob.objects.exists()
    assert not any(export_root.iterdir())
    assert reader.get(status_url).status_code == 404


def test_patient_and_group_exports_and_types(api, records, run_worker, alice, boston, hartford):
    reader = api()
    url = kick(reader, "/fhir/Patient/$export", _type="Observation,Appointment")
    run_worker()
    manifest = reader.get(url).json()
    assert sorted(o["type"] for o in manifest["output"]) == ["Appointment", "Observation"]
    group = kick(reader, f"/fhir/Group/{boston.pk}/$export", _type="Patient")
    run_worker()
    assert [o["count"] for o in reader.get(group).json()["output"]] == [1]
    assert reader.get(f"/fhir/Group/{hartford.pk}/$export", **ASYNC).status_code == 404
    since = kick(reader, _type="Patient", _since="2999-01-01T00:00:00Z")
    run_worker()
    assert reader.get(since).json()["output"] == []


def test_cancel_removes_the_export(api, records, run_worker):
    reader = api()
    url = kick(reader)
    assert reader.delete(url).status_code == 202
    run_worker()
    assert reader.get(url).status_code == 404


@pytest.mark.parametrize(
    ("path", "params", "headers", "status"),
    [
        ("/fhir/$export", {}, {}, 400),  # no Prefer: respond-async
        ("/fhir/$export", {"_outputFormat": "text/csv"}, ASYNC, 400),
        ("/fhir/$export", {"_type": "Nonsense"}, ASYNC, 400),
        ("/fhir/Patient/$export", {"_type": "Location"}, ASYNC, 400),
        ("/fhir/$export", {"_since": "last week"}, ASYNC, 400),
        ("/fhir/$export", {"_typeFilter": "Observation?code=x"}, ASYNC, 400),
        ("/fhir/$export", {"colour": "blue"}, ASYNC, 400),
        ("/fhir/Group/abc/$export", {}, ASYNC, 404),
        ("/fhir/$export-status/00000000-0000-0000-0000-000000000000", {}, {}, 404),
        ("/fhir/$export-file/00000000-0000-0000-0000-000000000000/Patient.ndjson", {}, {}, 404),
    ],
)
def test_bad_export_requests_are_operation_outcomes(api, records, path, params, headers, status):
    response = api().get(path, params, **headers)
    assert response.status_code == status
    assert response.json()["resourceType"] == "OperationOutcome"
    assert not ExportJob.objects.exists()


def test_export_needs_scopes_and_a_client(api, records, nurse):
    from dendrite.conftest import signed_in

    narrow = api("system/Patient.rs")
    assert narrow.get("/fhir/$export", {"_type": "Observation"}, **ASYNC).status_code == 403
    url = kick(narrow)
    assert ExportJob.objects.get().types == "Patient"
    assert narrow.get(url).status_code == 202
    assert signed_in(nurse).get("/fhir/$export", **ASYNC).status_code == 403
