"""The patient's own copy of their record (HIPAA right of access): a FHIR R4 Bundle and
the rows a readable PDF summary shows. Plain data in, plain data out: access.py loads the
rows (the patient's own), this module shapes them. Until the FHIR app exists this is
the one FHIR export of a patient; it carries what the portal shows: who they are, their
visits and their questionnaire scores."""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from dendrite.instruments import loader

APPOINTMENT_STATUS = {  # Dendrite's visit status → FHIR R4 Appointment.status
    "booked": "booked",
    "confirmed": "booked",
    "checked_in": "checked-in",
    "in_consult": "arrived",
    "in_chair": "arrived",
    "recovering": "arrived",
    "done": "fulfilled",
    "left": "noshow",
    "no_show": "noshow",
    "cancelled": "cancelled",
}
GENDER = {"female": "female", "male": "male", "intersex": "other", "unknown": "unknown"}
SURVEY = {
    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
    "code": "survey",
    "display": "Survey",
}


def _instant(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def patient_resource(patient: Mapping[str, Any]) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": f"patient-{patient['id']}",
        "identifier": [{"system": "urn:dendrite:mrn", "value": patient["mrn"]}],
        "name": [{"family": patient["last_name"], "given": [patient["first_name"]]}],
        "birthDate": patient["date_of_birth"].isoformat(),
        "gender": GENDER.get(patient["sex"], "unknown"),
    }
    telecom = []
    if patient.get("phone"):
        telecom.append({"system": "phone", "value": patient["phone"], "use": "mobile"})
    if patient.get("email"):
        telecom.append({"system": "email", "value": patient["email"]})
    if telecom:
        resource["telecom"] = telecom
    if patient.get("city") or patient.get("street"):
        resource["address"] = [{
            "line": [patient["street"]] if patient.get("street") else [],
            "city": patient.get("city", ""), "state": patient.get("state", ""),
            "postalCode": patient.get("postal_code", ""),
        }]  # fmt: skip
    return resource


def appointment_resource(visit: Mapping[str, Any], patient_ref: str) -> dict[str, Any]:
    return {
        "resourceType": "Appointment",
        "id": f"appointment-{visit['id']}",
        "status": APPOINTMENT_STATUS.get(visit["status"], "booked"),
        "description": visit["name"],
        "start": _instant(visit["starts_at"]),
        "end": _instant(visit["ends_at"]),
        "participant": [{"actor": {"reference": patient_ref}, "status": "accepted"}],
    }


def _loinc(code: str) -> list[dict[str, str]]:
    try:
        definition = loader.get_definition(code)
    except loader.UnknownInstrument:
        return []
    result: dict[str, Any] = next((item for item in definition["item"] if item.get("readOnly")), {})
    return [c for c in result.get("code", []) if c.get("system") == loader.LOINC]


def observation_resource(score: Mapping[str, Any], patient_ref: str, title: str) -> dict[str, Any]:
    code: dict[str, Any] = {"text": title}
    if codings := _loinc(score["instrument"]):
        code["coding"] = codings
    return {
        "resourceType": "Observation",
        "id": f"score-{score['id']}",
        "status": "final",
        "category": [{"coding": [SURVEY]}],
        "code": code,
        "subject": {"reference": patient_ref},
        "effectiveDateTime": _instant(score["authored_at"]),
        "valueInteger": score["total"],
    }


def bundle(
    patient: Mapping[str, Any],
    visits: Iterable[Mapping[str, Any]],
    scores: Iterable[Mapping[str, Any]],
    titles: Mapping[str, str],
    now: dt.datetime,
) -> dict[str, Any]:
    """A FHIR R4 `collection` Bundle of the patient, their visits and their scores."""
    me = patient_resource(patient)
    ref = f"Patient/{me['id']}"
    resources = [me]
    resources += [appointment_resource(visit, ref) for visit in visits]
    resources += [
        observation_resource(score, ref, titles.get(score["instrument"], score["instrument"]))
        for score in scores
    ]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _instant(now),
        "entry": [
            {"fullUrl": f"urn:dendrite:{r['resourceType']}/{r['id']}", "resource": r}
            for r in resources
        ],
    }
