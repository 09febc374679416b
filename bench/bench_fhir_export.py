"""FHIR bulk export throughput (pytest-benchmark; run with ``make bench``).

20 000 synthetic patients at one location, each with one PHQ-9: the export of Patient,
QuestionnaireResponse and Observation (60 000 resources) is timed as the task runs it
(fhir/bulk.py: read in chunks, map, label, write NDJSON), without the HTTP around it.
Target (issue 18): 10 000 resources a second on one core."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from dendrite.conftest import make_location
from dendrite.fhir import bulk
from dendrite.fhir.models import Client, ExportJob
from dendrite.instruments import loader, scoring
from dendrite.patients.models import Patient, QuestionnaireResponse

PATIENTS = int(__import__("os").environ.get("BENCH_FHIR_PATIENTS", "20000"))
TYPES = "Patient QuestionnaireResponse Observation"
ANSWERS = [1, 2, 1, 0, 1, 2, 1, 0, 1, "LA6573-5"]


@pytest.fixture
def network(db):
    location = make_location("bench", "Bench", "Boston", "MA")
    organization = location.organization
    born = dt.date(1980, 1, 1)
    Patient.objects.bulk_create(
        Patient(organization=organization, location=location, mrn=f"TC{n:07d}",
                first_name="Pat", last_name=f"Bench{n}", first_name_key="pat",
                last_name_key=f"bench{n}", date_of_birth=born, sex="female")
        for n in range(PATIENTS)
    )  # fmt: skip
    result = scoring.score("phq-9", ANSWERS)
    now = timezone.now()
    QuestionnaireResponse.objects.bulk_create(
        QuestionnaireResponse(patient_id=pk, instrument="phq-9",
                              version=loader.version("phq-9"), answers=ANSWERS,
                              total=result.total, band=result.band, flags=list(result.flags),
                              authored_at=now, source="clinic")
        for pk in Patient.objects.values_list("pk", flat=True)
    )  # fmt: skip
    client = Client.objects.create(name="Bench", client_id="bench", organization=organization,
                                   jwks={"keys": []}, scopes="system/*.rs")  # fmt: skip
    client.locations.set([location])
    return client


def test_bulk_export_rate(network, benchmark, settings, tmp_path):
    settings.FHIR_EXPORT_ROOT = tmp_path

    def export() -> int:
        job = ExportJob.objects.create(
            public_id=uuid.uuid4(), client=network, scopes="system/*.rs", level="system",
            types=TYPES, request_url="bench", requested_at=timezone.now(),
        )  # fmt: skip
        bulk.run_export.call(job_id=job.pk)
        job.refresh_from_db()
        return sum(o["count"] for o in job.output)

    written = benchmark.pedantic(export, rounds=1, iterations=1)
    assert written == 3 * PATIENTS
    rate = written / benchmark.stats.stats.mean
    benchmark.extra_info["resources_per_second"] = round(rate)
    print(f"\n{written} resources, {rate:,.0f} a second")
