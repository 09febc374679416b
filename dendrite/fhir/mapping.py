"""Dendrite's records as FHIR R4 (4.0.1) resources: plain dicts from loaded rows.

No queries here: each function reads only the row and what the caller loaded with it
(select_related / prefetch_related in access.py). Ids are the rows' ids, except the
Observations, which come from three tables and carry a prefix (`score-`, `vital-`,
`weight-`). meta (versionId, lastUpdated, profiles, security labels) is added by
serializer.finish. US Core profiles are named where one exists (CLINICAL.md §12.2)."""

import dataclasses
from datetime import datetime
from typing import Any

from django.utils import timezone

from dendrite.accounts.models import User
from dendrite.clinics.models import Location, Organization
from dendrite.infusions import fhir as infusion_fhir
from dendrite.infusions import vitals
from dendrite.infusions.models import Infusion
from dendrite.infusions.models import Observation as VitalValue
from dendrite.instruments import fhir as instrument_fhir
from dendrite.instruments import loader, scoring
from dendrite.instruments.answers import ScoringError
from dendrite.patients.models import Consent, Patient, QuestionnaireResponse
from dendrite.scheduling.models import Appointment, Status

from .models import DisclosureConsent

BASE = loader.BASE_URL
US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/"
CORE = "http://hl7.org/fhir/StructureDefinition/"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
WEIGHT = "29463-7"
BP_PANEL = "85354-9"
SYSTOLIC = vitals.MEASURES["systolic"].loinc
DIASTOLIC = vitals.MEASURES["diastolic"].loinc
SPO2 = vitals.MEASURES["spo2"].loinc
# The FHIR core vital-signs profile for each code we record (FHIR R4 §vitalsigns).
VITAL_PROFILES = {
    BP_PANEL: "bp",
    SYSTOLIC: "bp",
    vitals.MEASURES["heart_rate"].loinc: "heartrate",
    vitals.MEASURES["spo2"].loinc: "oxygensat",
    vitals.MEASURES["resp_rate"].loinc: "resprate",
    vitals.MEASURES["temperature"].loinc: "bodytemp",
    WEIGHT: "bodyweight",
}
US_CORE_VITALS = {
    "bp": "us-core-blood-pressure",
    "heartrate": "us-core-heart-rate",
    "oxygensat": "us-core-pulse-oximetry",
    "resprate": "us-core-respiratory-rate",
    "bodytemp": "us-core-body-temperature",
    "bodyweight": "us-core-body-weight",
}

# Appointment.status (R4 appointmentstatus) and Encounter.status for our steps.
APPOINTMENT_STATUS: dict[str, str] = {
    Status.BOOKED: "booked",
    Status.CONFIRMED: "booked",
    Status.CHECKED_IN: "arrived",
    Status.IN_CONSULTATION: "checked-in",
    Status.IN_CHAIR: "checked-in",
    Status.RECOVERING: "checked-in",
    Status.DONE: "fulfilled",
    Status.LEFT: "cancelled",
    Status.NO_SHOW: "noshow",
    Status.CANCELLED: "cancelled",
}
ENCOUNTER_STATUS: dict[str, str] = {
    Status.CHECKED_IN: "arrived",
    Status.IN_CONSULTATION: "in-progress",
    Status.IN_CHAIR: "in-progress",
    Status.RECOVERING: "in-progress",
    Status.DONE: "finished",
    Status.LEFT: "cancelled",
}
GENDER = {"female": "female", "male": "male", "intersex": "other", "unknown": "unknown"}


def ref(resource_type: str, pk: object) -> dict[str, str]:
    return {"reference": f"{resource_type}/{pk}"}


def mrn_system(organization: Organization) -> str:
    return f"{BASE}/sid/mrn/{organization.slug}"


def patient(row: Patient) -> dict[str, Any]:
    names: list[dict[str, Any]] = [
        {"use": "official", "family": row.last_name, "given": [row.first_name]}
    ]
    if row.preferred_name:
        names.append({"use": "usual", "family": row.last_name, "given": [row.preferred_name]})
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(row.pk),
        "identifier": [
            {
                "use": "usual",
                "type": {
                    "coding": [{
                        "system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                        "code": "MR",
                    }],
                    "text": "Medical record number",
                },
                "system": mrn_system(row.organization),
                "value": row.mrn,
            }
        ],
        "active": True,
        "name": names,
        "gender": GENDER.get(row.sex, "unknown"),
        "birthDate": row.date_of_birth.isoformat(),
        "managingOrganization": ref("Organization", row.organization_id),
    }  # fmt: skip
    telecom = []
    if row.phone:
        telecom.append({"system": "phone", "value": row.phone, "use": "mobile"})
    if row.email:
        telecom.append({"system": "email", "value": row.email})
    if telecom:
        resource["telecom"] = telecom
    if row.city or row.street:
        address = {
            "use": "home",
            "line": [row.street] if row.street else [],
            "city": row.city or None,
            "state": row.state or None,
            "postalCode": row.postal_code or None,
            "country": "US",
        }
        resource["address"] = [_clean(address)]
    return resource


def practitioner(row: User) -> dict[str, Any]:
    return {
        "resourceType": "Practitioner",
        "id": str(row.pk),
        "identifier": [{"system": f"{BASE}/sid/staff", "value": str(row.pk)}],
        "active": row.is_active,
        "name": [{"family": row.last_name or row.get_username(), "given": [row.first_name]}]
        if row.first_name
        else [{"family": row.last_name or "Staff member"}],
    }


def organization(row: Organization) -> dict[str, Any]:
    return {
        "resourceType": "Organization",
        "id": str(row.pk),
        "identifier": [{"system": f"{BASE}/sid/organization", "value": row.slug}],
        "active": True,
        "name": row.name,
    }


def location(row: Location) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Location",
        "id": str(row.pk),
        "identifier": [{"system": f"{BASE}/sid/location", "value": row.slug}],
        "status": "active" if row.is_active else "inactive",
        "name": row.name,
        "mode": "instance",
        "telecom": [{"system": "phone", "value": row.phone, "use": "work"}],
        "address": _clean({
            "use": "work",
            "line": [row.street],
            "city": row.city,
            "state": row.state,
            "postalCode": row.postal_code,
            "country": "US",
        }),
        "managingOrganization": ref("Organization", row.organization_id),
    }  # fmt: skip
    if row.email:
        resource["telecom"].append({"system": "email", "value": row.email, "use": "work"})
    return resource


def questionnaire(code: str) -> dict[str, Any]:
    definition = dict(loader.get_definition(code))
    definition["id"] = code
    definition.pop("meta", None)
    return definition


def score_of(row: QuestionnaireResponse, sex: str | None) -> scoring.ScoreResult | None:
    """The stored result (total, band, flags) with the sub-scores the answers give; None
    when the instrument or its version is no longer the one we define."""
    try:
        if loader.version(row.instrument) != row.version:
            return None
        fresh = scoring.score(row.instrument, row.answers, sex=sex if sex in GENDER else None)
    except (loader.UnknownInstrument, ScoringError, ValueError):
        return None
    return dataclasses.replace(
        fresh, total=row.total, band=row.band or fresh.band, flags=tuple(row.flags or ())
    )


def questionnaire_response(row: QuestionnaireResponse) -> dict[str, Any]:
    result = score_of(row, row.patient.sex)
    subject = f"Patient/{row.patient_id}"
    try:
        resource = instrument_fhir.to_questionnaire_response(
            row.instrument,
            row.answers,
            subject_reference=subject,
            authored=row.authored_at,
            result=result,
        )
    except (loader.UnknownInstrument, ScoringError, ValueError):
        resource = {
            "resourceType": "QuestionnaireResponse",
            "questionnaire": f"{BASE}/Questionnaire/{row.instrument}|{row.version}",
            "status": "completed",
            "subject": {"reference": subject},
            "authored": row.authored_at.isoformat(),
        }
    resource["id"] = str(row.pk)
    return _first(resource, "resourceType", "id")


def score_observation(row: QuestionnaireResponse) -> dict[str, Any]:
    result = score_of(row, row.patient.sex) or scoring.ScoreResult(
        instrument=row.instrument,
        version=row.version,
        total=row.total,
        band=row.band,
        interpretation="",
        action="",
        flags=tuple(row.flags or ()),
    )
    try:
        resource = instrument_fhir.to_observation(
            result,
            subject_reference=f"Patient/{row.patient_id}",
            effective=row.authored_at,
            derived_from=f"QuestionnaireResponse/{row.pk}",
        )
    except (loader.UnknownInstrument, StopIteration, KeyError):
        resource = {
            "resourceType": "Observation",
            "status": "final",
            "code": {"text": row.instrument},
            "subject": ref("Patient", row.patient_id),
            "effectiveDateTime": row.authored_at.isoformat(),
        }
        if row.total is not None:
            resource["valueInteger"] = row.total
    resource["id"] = f"score-{row.pk}"
    return _first(resource, "resourceType", "id")


def vital_observation(row: VitalValue) -> dict[str, Any] | None:
    """The Observation a recorded value stands for: the systolic value stands for the
    blood-pressure panel (with the diastolic as its second component)."""
    reading = row.vital_signs
    wanted = BP_PANEL if row.code == SYSTOLIC else row.code
    for found in infusion_fhir.observations(reading):
        if found["code"]["coding"][0]["code"] == wanted:
            found["id"] = f"vital-{row.pk}"
            found["subject"] = ref("Patient", reading.infusion.patient_id)
            if reading.infusion.appointment_id:
                found["encounter"] = ref("Encounter", reading.infusion.appointment_id)
            return _first(found, "resourceType", "id")
    return None


def weight_observation(row: Infusion) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": f"weight-{row.pk}",
        "status": "final",
        "category": [infusion_fhir.VITAL_SIGNS],
        "code": {"coding": [{"system": LOINC, "code": WEIGHT, "display": "Body weight"}],
                 "text": "Body weight"},
        "subject": ref("Patient", row.patient_id),
        "encounter": ref("Encounter", row.appointment_id),
        "effectiveDateTime": row.checked_at.isoformat(),
        "valueQuantity": {"value": float(row.weight_kg), "unit": "kg", "system": UCUM,
                          "code": "kg"},
    }  # fmt: skip


def medication_administration(row: Infusion) -> dict[str, Any]:
    resource = infusion_fhir.medication_administration(row)
    resource["effectivePeriod"] = _clean(resource["effectivePeriod"])
    resource["subject"] = ref("Patient", row.patient_id)
    resource["context"] = ref("Encounter", row.appointment_id)
    if row.lot or row.ndc:
        medication: dict[str, Any] = {
            "resourceType": "Medication",
            "id": "ketamine",
            "code": resource.pop("medicationCodeableConcept"),
        }
        if row.ndc:
            medication["code"]["coding"] = [
                {"system": "http://hl7.org/fhir/sid/ndc", "code": row.ndc}
            ]
        if row.lot:
            medication["batch"] = {"lotNumber": row.lot}
        resource["contained"] = [medication]
        resource["medicationReference"] = {"reference": "#ketamine"}
    return {"resourceType": "MedicationAdministration", "id": str(row.pk), **resource}


def appointment(row: Appointment) -> dict[str, Any]:
    return {
        "resourceType": "Appointment",
        "id": str(row.pk),
        "status": APPOINTMENT_STATUS.get(row.status, "booked"),
        "appointmentType": {"text": row.appointment_type.name},
        "serviceType": [{"text": row.appointment_type.get_kind_display()}],
        "start": row.starts_at.isoformat(),
        "end": row.ends_at.isoformat(),
        "created": row.created_at.date().isoformat(),
        "participant": [
            {"actor": {**ref("Patient", row.patient_id)}, "required": "required",
             "status": "accepted"},
            {"actor": ref("Practitioner", row.staff_id), "required": "required",
             "status": "accepted"},
            {"actor": {**ref("Location", row.location_id), "display": row.location.name},
             "required": "required", "status": "accepted"},
        ],
    }  # fmt: skip


def encounter(row: Appointment) -> dict[str, Any]:
    return {
        "resourceType": "Encounter",
        "id": str(row.pk),
        "identifier": [{"system": f"{BASE}/sid/visit", "value": str(row.pk)}],
        "status": ENCOUNTER_STATUS.get(row.status, "unknown"),
        "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": "AMB",
            "display": "ambulatory",
        },
        "type": [{"text": row.appointment_type.name}],
        "subject": ref("Patient", row.patient_id),
        "participant": [{"individual": ref("Practitioner", row.staff_id)}],
        "appointment": [ref("Appointment", row.pk)],
        "period": {"start": row.starts_at.isoformat(), "end": row.ends_at.isoformat()},
        "location": [{"location": {**ref("Location", row.location_id),
                                   "display": row.location.name}}],
        "serviceProvider": ref("Organization", row.location.organization_id),
    }  # fmt: skip


CONSENT_SCOPE: dict[str, tuple[str, str]] = {
    Consent.Kind.TREATMENT: ("treatment", "Treatment"),
    Consent.Kind.TEXT_MESSAGES: ("patient-privacy", "Privacy Consent"),
    Consent.Kind.EMAIL_MESSAGES: ("patient-privacy", "Privacy Consent"),
}


def consent(row: Consent) -> dict[str, Any]:
    scope, scope_display = CONSENT_SCOPE.get(row.kind, ("patient-privacy", "Privacy Consent"))
    given = row.status == Consent.Status.GIVEN
    return {
        "resourceType": "Consent",
        "id": str(row.pk),
        "status": "active" if given else "inactive",
        "scope": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/consentscope",
            "code": scope, "display": scope_display,
        }]},
        "category": [
            {"coding": [{"system": LOINC, "code": "59284-0", "display": "Patient Consent"}],
             "text": row.get_kind_display()}
        ],
        "patient": ref("Patient", row.patient_id),
        "dateTime": row.date.isoformat(),
        "organization": [ref("Organization", row.patient.organization_id)],
        "policyRule": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": "OPTIN" if given else "OPTOUT",
        }]},
        "provision": {"type": "permit" if given else "deny"},
    }  # fmt: skip


def _clean(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v not in (None, "", [])}


def _first(resource: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {**{k: resource[k] for k in keys}, **resource}


def moment(value: datetime) -> str:
    return value.isoformat()


PART2_PURPOSE = {
    "treatment": ("TREAT", "treatment"),
    "payment": ("HPAYMT", "healthcare payment"),
    "operations": ("HOPERAT", "healthcare operations"),
    "research": ("HRESCH", "healthcare research"),
}
PART2_RULE = "https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2"


def recipient_reference(row: DisclosureConsent) -> dict[str, Any]:
    """The recipient: the registered client by its identifier, or a name only."""
    if row.client is None:
        return {"display": row.recipient}
    return {
        "identifier": {"system": f"{BASE}/sid/fhir-client", "value": row.client.client_id},
        "display": row.recipient,
    }


def part2_consent(row: DisclosureConsent, today: Any = None) -> dict[str, Any]:
    """A Part 2 disclosure consent (CLINICAL.md §12.6): privacy scope, 42 CFR Part 2
    policy, a permit provision for the period naming the recipient and the purpose."""
    today = today or timezone.localdate()
    in_force = row.revoked_at is None and row.starts_on <= today <= row.ends_on
    code = PART2_PURPOSE.get(row.purpose)
    purpose = (
        {"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
         "code": code[0], "display": code[1]}
        if code else {"display": row.purpose_text or row.get_purpose_display()}
    )  # fmt: skip
    return {
        "resourceType": "Consent",
        "id": f"part2-{row.pk}",
        "status": "active" if in_force else "inactive",
        "scope": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/consentscope",
            "code": "patient-privacy", "display": "Privacy Consent",
        }]},
        "category": [
            {"coding": [{"system": LOINC, "code": "59284-0", "display": "Patient Consent"},
                        {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                         "code": "42CFRPart2", "display": "42 CFR Part2"}],
             "text": "42 CFR Part 2 disclosure consent"}
        ],
        "patient": ref("Patient", row.patient_id),
        "dateTime": row.created_at.isoformat(),
        "organization": [ref("Organization", row.patient.organization_id)],
        "policy": [{"uri": PART2_RULE}],
        "policyRule": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN",
        }]},
        "provision": {
            "type": "permit",
            "period": {"start": row.starts_on.isoformat(), "end": row.ends_on.isoformat()},
            "actor": [{
                "role": {"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/v3-RoleClass",
                    "code": "IRCP", "display": "information recipient",
                }]},
                "reference": recipient_reference(row),
            }],
            "purpose": [purpose],
            "code": covered_records(row),
        },
    }  # fmt: skip


def covered_records(row: DisclosureConsent) -> list[dict[str, Any]]:
    """What may be disclosed: each instrument by its LOINC panel code (or its title)."""
    panels = {entry["code"]: entry for entry in loader.list_instruments()}
    codes = []
    for code in sorted(row.records):
        entry = panels.get(code, {"title": code, "loinc": None})
        if entry["loinc"]:
            codes.append({"coding": [{"system": LOINC, "code": entry["loinc"],
                                      "display": entry["title"]}]})  # fmt: skip
        else:
            codes.append({"text": entry["title"]})
    return codes
