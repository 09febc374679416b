"""The FHIR R4 API read by a SMART backend client: every resource validates against the
R4B models, searches page, and bad input is an OperationOutcome."""

import datetime as dt
import importlib
from typing import Any

import pytest
from django.test import Client as HttpClient

from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Organization
from dendrite.conftest import make_location, make_patient, query_count, signed_in

from .conftest import scored

pytestmark = pytest.mark.django_db

TYPES = [
    "Patient", "Practitioner", "Organization", "Location", "Questionnaire",
    "QuestionnaireResponse", "Observation", "Appointment", "MedicationAdministration",
    "Consent", "Encounter",
]  # fmt: skip
MODULES = {"MedicationAdministration": "medicationadministration",
           "QuestionnaireResponse": "questionnaireresponse"}  # fmt: skip


def validate(resource: dict[str, Any]) -> None:
    name = resource["resourceType"]
    module = importlib.import_module(f"fhir.resources.R4B.{MODULES.get(name, name.lower())}")
    getattr(module, name).model_validate(resource)


def entries(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """The matched and included resources (not a Part 2 withholding OperationOutcome)."""
    return [e["resource"] for e in bundle.get("entry", []) if e["search"]["mode"] != "outcome"]


def test_metadata_lists_what_is_served(client):
    response = HttpClient().get("/fhir/metadata")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    statement = response.json()
    assert statement["fhirVersion"] == "4.0.1"
    assert sorted(r["type"] for r in statement["rest"][0]["resource"]) == sorted(TYPES)
    importlib.import_module("fhir.resources.R4B.capabilitystatement").CapabilityStatement(
        **statement
    )
    smart = HttpClient().get("/fhir/.well-known/smart-configuration").json()
    assert smart["token_endpoint"] == "http://testserver/fhir/auth/token"
    assert smart["token_endpoint_auth_signing_alg_values_supported"] == ["RS384", "ES384"]


@pytest.mark.parametrize("name", TYPES)
def test_every_served_resource_validates_and_reads_back(api, records, name):
    reader = api()
    bundle = reader.get(f"/fhir/{name}").json()
    validate(bundle | {"entry": []})
    found = entries(bundle)
    assert found, name
    for resource in found:
        validate(resource)
        assert resource["meta"]["versionId"] and resource["meta"]["lastUpdated"]
        one = reader.get(f"/fhir/{name}/{resource['id']}")
        assert one.status_code == 200
        assert one.json() == resource
        assert one["ETag"] == f'W/"{resource["meta"]["versionId"]}"'
        again = reader.get(f"/fhir/{name}/{resource['id']}", HTTP_IF_NONE_MATCH=one["ETag"])
        assert again.status_code == 304


def test_observations_carry_loinc_scores_vitals_and_weight(api, records, part2_consent, alice):
    bundle = api().get("/fhir/Observation", {"patient": alice.pk, "_count": 200}).json()
    codes = {r["code"]["coding"][0]["code"] for r in entries(bundle)}
    assert {"44261-6", "85354-9", "8867-4", "59408-5", "9279-1", "29463-7"} <= codes
    weight = next(r for r in entries(bundle) if r["code"]["coding"][0]["code"] == "29463-7")
    assert "http://hl7.org/fhir/StructureDefinition/bodyweight" in weight["meta"]["profile"]
    assert weight["valueQuantity"] == {
        "value": 80.0,
        "unit": "kg",
        "system": "http://unitsofmeasure.org",
        "code": "kg",
    }
    audit_c = next(r for r in entries(bundle) if r["id"] == f"score-{records['audit_c'].pk}")
    assert {s["code"] for s in audit_c["meta"]["security"]} >= {"R", "42CFRPart2", "NORDSCLCD"}
    phq9 = api().get("/fhir/Observation", {"code": "http://loinc.org|44261-6"}).json()
    assert [r["id"] for r in entries(phq9)] == [f"score-{records['phq9'].pk}"]


def test_medication_administration_has_dose_rate_route_and_lot(api, records):
    resource = entries(api().get("/fhir/MedicationAdministration").json())[0]
    assert resource["dosage"]["dose"]["unit"] == "mg"
    assert resource["dosage"]["rateQuantity"]["code"] == "mL/h"
    assert resource["dosage"]["route"]["text"] == "Intravenous"
    assert resource["contained"][0]["batch"]["lotNumber"] == "L123"


def test_search_by_date_prefixes_status_and_include(api, records, alice):
    reader = api()
    found = lambda **params: entries(reader.get("/fhir/Appointment", params).json())  # noqa: E731
    assert len(found(date="ge2026-12-07")) == 1
    assert found(date="lt2026-12-07") == []
    assert len(found(date="2026-12")) == 1
    assert found(status="cancelled") == []
    bundle = reader.get(
        "/fhir/Encounter", {"patient": f"Patient/{alice.pk}", "_include": "Encounter:patient"}
    ).json()
    modes = [e["search"]["mode"] for e in bundle["entry"]]
    assert modes == ["match", "include"]
    assert bundle["entry"][1]["resource"]["id"] == str(alice.pk)


def test_pages_follow_next_links_and_count_is_capped(api, records, part2_consent, alice):
    for minute in range(1, 6):
        scored(alice, "phq-2", [1, 1], minutes=minute)
    reader = api()
    bundle = reader.get("/fhir/QuestionnaireResponse", {"_count": 2}).json()
    seen = [r["id"] for r in entries(bundle)]
    while next_link := next((x["url"] for x in bundle["link"] if x["relation"] == "next"), None):
        bundle = reader.get(next_link).json()
        seen += [r["id"] for r in entries(bundle)]
    assert len(seen) == len(set(seen)) == bundle["total"] == 7
    huge = reader.get("/fhir/Observation", {"_count": 1000000})
    assert huge.status_code == 200
    assert "_count=200" in huge.json()["link"][0]["url"]


def test_query_count_does_not_grow_with_the_page(api, records, alice):
    reader = api()
    few = query_count(lambda: reader.get("/fhir/Observation", {"_count": 200}))
    for minute in range(1, 9):
        scored(alice, "phq-2", [1, 1], minutes=minute)
    many = query_count(lambda: reader.get("/fhir/Observation", {"_count": 200}))
    assert many == few


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/fhir/Nonsense", {}, 404),
        ("/fhir/Patient/999999", {}, 404),
        ("/fhir/Patient/not-a-number", {}, 404),
        ("/fhir/Observation/vital-x", {}, 404),
        ("/fhir/Observation", {"date": "yesterday"}, 400),
        ("/fhir/Observation", {"date": "ge2026-13-01"}, 400),
        ("/fhir/Observation", {"_count": "-1"}, 400),
        ("/fhir/Observation", {"_count": "lots"}, 400),
        ("/fhir/Observation", {"colour": "blue"}, 400),
        ("/fhir/Observation", {"code:text": "x"}, 400),
        ("/fhir/Observation", {"code": ""}, 400),
        ("/fhir/Observation", {"_include": "Observation:performer"}, 400),
        ("/fhir/Observation", {"_id": "a/b"}, 400),
        ("/fhir/Appointment/1/_history", {}, 404),
    ],
)
def test_bad_input_is_an_operation_outcome(api, records, path, params, status):
    response = api().get(path, params)
    assert response.status_code == status
    assert response.json()["resourceType"] == "OperationOutcome"
    assert response["Content-Type"].startswith("application/fhir+json")


def test_writes_are_refused(api, records):
    response = api().post("/fhir/Patient", {}, content_type="application/fhir+json")
    assert response.status_code == 405
    assert response.json()["resourceType"] == "OperationOutcome"


def test_no_token_bad_token_and_scopes(api, records, alice):
    anonymous = HttpClient().get("/fhir/Patient")
    assert anonymous.status_code == 401
    assert anonymous.json()["resourceType"] == "OperationOutcome"
    bogus = HttpClient(headers={"Authorization": "Bearer nope"}).get("/fhir/Patient")
    assert bogus.status_code == 401
    basic = HttpClient(headers={"Authorization": "Basic eDp5"}).get("/fhir/Patient")
    assert basic.status_code == 401
    patients_only = api("system/Patient.rs")
    assert patients_only.get(f"/fhir/Patient/{alice.pk}").status_code == 200
    denied = patients_only.get("/fhir/Observation")
    assert denied.status_code == 403
    assert denied.json()["resourceType"] == "OperationOutcome"
    read_only = api("system/Patient.r")
    assert read_only.get("/fhir/Patient").status_code == 403
    assert read_only.get(f"/fhir/Patient/{alice.pk}").status_code == 200
    v1 = api("system/Observation.read")
    assert v1.get("/fhir/Observation").status_code == 200


def test_an_expired_token_is_refused(api, records, time_machine):
    reader = api()
    assert reader.get("/fhir/Patient").status_code == 200
    time_machine.shift(301)
    assert reader.get("/fhir/Patient").status_code == 401


def test_other_locations_and_organisations_stay_out(api, records, alice, charlie):
    other = Organization.objects.create(name="Elsewhere", slug="elsewhere", mrn_prefix="EL")
    far = make_location("far", "Far", "Far", "MA")
    far.organization = other
    far.save()
    stranger = make_patient(far, "Dana", "Stranger")
    reader = api()
    ids = {r["id"] for r in entries(reader.get("/fhir/Patient").json())}
    assert ids == {str(alice.pk)}
    for patient in (charlie, stranger):
        assert reader.get(f"/fhir/Patient/{patient.pk}").status_code == 404
        assert entries(reader.get("/fhir/Observation", {"patient": patient.pk}).json()) == []
    orgs = {r["id"] for r in entries(reader.get("/fhir/Organization").json())}
    assert orgs == {str(alice.organization_id)}
    assert (
        AuditEvent.objects.filter(
            action="fhir.patient.read", outcome="denied", actor_username="State registry"
        ).count()
        == 2
    )


def test_reads_are_audited_with_the_clients_name(api, records, alice):
    api().get(f"/fhir/Patient/{alice.pk}")
    event = AuditEvent.objects.filter(action="fhir.patient.read").latest("id")
    assert event.actor_username == "State registry"
    assert event.patient_id == str(alice.pk)
    assert event.detail["client"]


def test_staff_read_their_own_locations_through_their_session(
    records, alice, charlie, nurse, front_desk, clinic_admin
):
    nurse_view = signed_in(nurse)
    assert nurse_view.get(f"/fhir/Patient/{alice.pk}").status_code == 200
    assert nurse_view.get(f"/fhir/Patient/{charlie.pk}").status_code == 404
    assert nurse_view.get("/fhir/Observation").status_code == 200
    assert signed_in(front_desk).get("/fhir/Observation").status_code == 403
    assert signed_in(front_desk).get("/fhir/Appointment").status_code == 200
    assert signed_in(clinic_admin).get("/fhir/Patient").status_code == 403
    event = AuditEvent.objects.filter(action="fhir.patient.read").latest("id")
    assert event.actor_id == nurse.pk


def test_patient_everything_is_one_bundle(records, alice, nurse):
    from dendrite.fhir.export import patient_everything

    bundle = patient_everything(alice, by=nurse.get_username(), user=nurse)
    validate(bundle)
    types = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "Observation", "QuestionnaireResponse", "Appointment",
            "MedicationAdministration", "Consent", "Encounter"} <= types  # fmt: skip
    assert all(
        e["resource"]
        .get("subject", e["resource"].get("patient", {"reference": "Patient/"}))["reference"]
        .endswith(f"/{alice.pk}")
        or e["resource"]["resourceType"] == "Patient"
        or e["resource"]["resourceType"] == "Appointment"
        for e in bundle["entry"]
    )


@pytest.mark.parametrize("name", TYPES)
def test_every_search_makes_the_same_queries_as_the_data_grows(api, records, alice, nurse, name):
    from dendrite.infusions.tests.conftest import NOW
    from dendrite.scheduling.models import Kind
    from dendrite.scheduling.tests.conftest import give_consent, make_appointment

    reader = api()
    few = query_count(lambda: reader.get(f"/fhir/{name}", {"_count": 200}))
    for day in range(1, 4):
        scored(alice, "phq-2", [1, 1], minutes=day)
        give_consent(alice, nurse)
        make_appointment(alice, Kind.FOLLOW_UP, NOW + dt.timedelta(days=day), nurse,
                         status="done")  # fmt: skip
    make_patient(alice.location, "Erin", "More")
    many = query_count(lambda: reader.get(f"/fhir/{name}", {"_count": 200}))
    assert many == few


WEIRD = [
    {"_count": "0"}, {"_offset": "99999999999"}, {"_offset": "x"}, {"_id": ",,"},
    {"_lastUpdated": "gt2026"}, {"_lastUpdated": "ne2026-12-07"}, {"_lastUpdated": "2026-02-30"},
    {"patient": "Group/1"}, {"patient": "Patient/abc"}, {"patient": "../../etc"},
    {"date": "ge2026-12-07T09:00:00Z"}, {"date": "le2026-12-07T09:00"}, {"date": "ap2026"},
    {"status": "a|"}, {"code": "|"}, {"_sort": "date"}, {"_summary": "count"},
    {"_include": "*"}, {"_format": "json"}, {"date": "2026-12-07T25:00:00Z"},
]  # fmt: skip


@pytest.mark.parametrize("name", TYPES)
def test_odd_queries_are_answered_or_refused_never_a_500(api, records, name):
    reader = api()
    for params in WEIRD:
        response = reader.get(f"/fhir/{name}", params)
        assert response.status_code in (200, 400), (params, response.status_code)
        body = response.json()
        assert body["resourceType"] == ("Bundle" if response.status_code == 200
                                        else "OperationOutcome")  # fmt: skip


def test_dates_compare_with_the_precision_written(api, records, alice):
    reader = api()
    found = lambda value: len(entries(reader.get("/fhir/Appointment", {"date": value}).json()))  # noqa: E731
    assert found("2026-12-07T14:00:00Z") == 1
    assert found("gt2026-12-07T14:00:00Z") == 0
    assert found("ge2026-12-07T14:00:00Z") == 1
    assert found("le2026-12-07T13:59:59Z") == 0
    assert found("ne2026-12-07") == 0
    assert found("ne2026-12-08") == 1
    assert found("ge2026-12-07T09:00:00-05:00") == 1
    assert found("2026") == 1


def test_patients_by_mrn_and_birthdate(api, records, alice):
    reader = api()
    found = lambda **params: [r["id"] for r in entries(reader.get("/fhir/Patient", params).json())]  # noqa: E731
    alice_system = f"https://dendrite.example/fhir/sid/mrn/{alice.organization.slug}"
    assert found(identifier=alice.mrn) == [str(alice.pk)]
    assert found(identifier=f"{alice_system}|{alice.mrn}") == [str(alice.pk)]
    assert found(identifier=f"http://elsewhere|{alice.mrn}") == []
    assert found(birthdate="1985-12-10") == [str(alice.pk)]
    assert found(birthdate="lt1985") == []
