"""The infusion record in FHIR R4 shapes, so the FHIR API can serve it as stored:
the infusion as a MedicationAdministration (CLINICAL.md §12.1 [E1][E2]) and each set of
vital signs as vital-sign Observations with LOINC codes and UCUM units (§10.1, §12.2).
Plain dictionaries; the API app decides ids, references and paging."""

from typing import Any

from . import vitals
from .models import Infusion, Stage, VitalSigns

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
VITAL_SIGNS = {
    "coding": [{
        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
        "code": "vital-signs",
    }]
}  # fmt: skip
STATUS = {Stage.RUNNING: "in-progress", Stage.PAUSED: "on-hold", Stage.NOT_GIVEN: "not-done"}


def _quantity(value: Any, unit: str) -> dict[str, Any]:
    return {"value": float(value), "unit": unit, "system": UCUM, "code": unit}


def medication_administration(infusion: Infusion) -> dict[str, Any]:
    """Period from start to stop; dose in mg and the pump rate in mL/h."""
    status = STATUS.get(infusion.stage, "completed" if infusion.stopped_at else "in-progress")
    resource: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "status": status,
        # Ketamine hydrochloride; the strength-level RxCUI is unconfirmed (CLINICAL.md §12.1).
        "medicationCodeableConcept": {"text": "Ketamine hydrochloride injection"},
        "effectivePeriod": {
            "start": infusion.started_at.isoformat() if infusion.started_at else None,
            "end": infusion.stopped_at.isoformat() if infusion.stopped_at else None,
        },
        "dosage": {
            "text": f"{infusion.mg_per_kg} mg/kg IV over {infusion.minutes} minutes",
            "route": {"text": "Intravenous"},
        },
    }
    given = infusion.given_mg if infusion.given_mg is not None else infusion.dose_mg
    if given is not None:
        resource["dosage"]["dose"] = _quantity(given, "mg")
    if infusion.rate_ml_per_h is not None:
        resource["dosage"]["rateQuantity"] = _quantity(infusion.rate_ml_per_h, "mL/h")
    return resource


def observations(reading: VitalSigns) -> list[dict[str, Any]]:
    """One Observation per value; blood pressure as the panel with two components and
    oximetry with both codes US Core asks for (CLINICAL.md §10.1 [C1][C2])."""
    by_code = {o.code: o for o in reading.observations.all()}
    when = reading.taken_at.isoformat()
    found = []
    systolic = by_code.pop(vitals.MEASURES["systolic"].loinc, None)
    diastolic = by_code.pop(vitals.MEASURES["diastolic"].loinc, None)
    if systolic and diastolic:
        found.append({
            "resourceType": "Observation", "status": "final", "category": [VITAL_SIGNS],
            "code": {"coding": [{"system": LOINC, "code": vitals.BP_PANEL}]},
            "effectiveDateTime": when,
            "component": [
                {"code": {"coding": [{"system": LOINC, "code": o.code}]},
                 "valueQuantity": _quantity(o.value, o.unit)}
                for o in (systolic, diastolic)
            ],
        })  # fmt: skip
    for code, o in by_code.items():
        coding = [{"system": LOINC, "code": code}]
        if code == vitals.MEASURES["spo2"].loinc:
            coding.append({"system": LOINC, "code": vitals.SPO2_CORE})
        found.append({
            "resourceType": "Observation", "status": "final", "category": [VITAL_SIGNS],
            "code": {"coding": coding}, "effectiveDateTime": when,
            "valueQuantity": _quantity(o.value, o.unit),
        })  # fmt: skip
    return found
