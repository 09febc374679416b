"""A completed instrument as FHIR R4 (4.0.1) resources, as plain dicts. Pure, no Django.

- ``to_questionnaire_response``: the patient's answers, one item per answered question,
  in the definition's order. Every question in our definitions is a ``choice`` item,
  so every answer is a ``valueCoding`` copied from the chosen option - yes/no questions
  included (LOINC Yes LA33-6 / No LA32-8): a ``valueBoolean`` would not conform to a
  ``choice`` item. Questions the skip logic left out, or left unanswered, are absent.
  Given the ScoreResult, the read-only result item (total, or C-SSRS risk level) is
  filled in too.
- ``to_observation``: the result. ``code`` is the LOINC code of the definition's
  read-only item (the total; the C-SSRS screener has none and uses its risk level,
  93374-7). ``valueInteger`` is the total, or for the C-SSRS ``valueCodeableConcept``
  is the risk tier.

How the rest of a ScoreResult is carried in the Observation:

- The band is the first ``interpretation``, coded in BAND_SYSTEM (code = band slug).
- Each safety flag is one more ``interpretation``, coded in FLAG_SYSTEM (code = the
  flag, e.g. ``suicide-risk``). A flag is a reading of the result, not a separate
  measurement, so it is an interpretation and not a component; and it is its own
  CodeableConcept, not a second coding beside the band, because the codings of one
  CodeableConcept must all mean the same thing. Readers find flags with
  ``flags_of(observation)``.
- Sub-scores (AUDIT, PCL-5 clusters) are ``component``s with ``valueInteger``; the
  AUDIT action zone and the PCL-5 criteria are components too. All are coded in
  PART_SYSTEM, as ``<instrument>-<name>``: none has a LOINC code in CLINICAL.md.

Times are passed in by the caller (aware datetimes); nothing here reads the clock.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from . import loader
from .answers import Value, coding_of, read_answers
from .labels import BAND_LABELS, FLAG_LABELS
from .loader import Item, Option
from .scoring import ScoreResult

BAND_SYSTEM = f"{loader.BASE_URL}/CodeSystem/band"
FLAG_SYSTEM = f"{loader.BASE_URL}/CodeSystem/flag"
PART_SYSTEM = f"{loader.BASE_URL}/CodeSystem/score-part"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

PART_LABELS = {
    "audit-consumption": "AUDIT consumption sub-score (questions 1-3)",
    "audit-dependence": "AUDIT dependence sub-score (questions 4-6)",
    "audit-problems": "AUDIT alcohol-related problems sub-score (questions 7-10)",
    "audit-action-zone": "AUDIT intervention zone after the override rule",
    "pcl-5-b": "PCL-5 cluster B (items 1-5)",
    "pcl-5-c": "PCL-5 cluster C (items 6-7)",
    "pcl-5-d": "PCL-5 cluster D (items 8-14)",
    "pcl-5-e": "PCL-5 cluster E (items 15-20)",
    "pcl-5-total-cutoff": "PCL-5 total at or above the cut-off",
    "pcl-5-dsm5-clusters": "PCL-5 DSM-5 cluster rule met",
}


def to_questionnaire_response(
    code: str,
    answers: object,
    *,
    subject_reference: str | None = None,
    authored: datetime | None = None,
    result: ScoreResult | None = None,
) -> dict[str, Any]:
    """A completed QuestionnaireResponse of ``answers`` (checked as scoring checks them).

    ``result``, the ScoreResult of these same answers, fills in the read-only result item;
    only its instrument and version are checked against ``code``.

    Raises loader.UnknownInstrument, answers.ScoringError for bad answers, and
    ValueError for a naive ``authored`` or a ``result`` of another instrument or version.
    """
    items = loader.questions(code)
    values = read_answers(items, answers)
    definition = loader.read_definition(code)
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{definition['url']}|{definition['version']}",
        "status": "completed",
    }
    if subject_reference:
        response["subject"] = {"reference": subject_reference}
    if authored is not None:
        response["authored"] = _date_time(authored, "authored")
    response["item"] = [
        _answered(item, {"valueCoding": _coding(_chosen_option(item, values[item.link_id]))})
        for item in items
        if values[item.link_id] is not None
    ]
    if result is not None:
        if (result.instrument, result.version) != (code, definition["version"]):
            raise ValueError(f"the result is of {result.instrument} {result.version}, not {code}")
        response["item"].append(_result_answer(definition, result))
    return response


def to_observation(
    result: ScoreResult,
    *,
    subject_reference: str | None = None,
    effective: datetime | None = None,
    derived_from: str | None = None,
) -> dict[str, Any]:
    """A final survey Observation of ``result``; ``derived_from`` references its response."""
    definition = loader.read_definition(result.instrument)
    result_item = _result_item(definition)
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
        ],
        "code": {
            "coding": [c for c in result_item["code"] if c["system"] == loader.LOINC],
            "text": f"{definition['title']}: {result_item['text'].lower()}",
        },
    }
    if subject_reference:
        observation["subject"] = {"reference": subject_reference}
    if effective is not None:
        observation["effectiveDateTime"] = _date_time(effective, "effective")
    if result.total is None:  # C-SSRS screener: the risk tier is the value
        tier = _coding(_risk_option(result_item, result.band))
        observation["valueCodeableConcept"] = {"coding": [tier], "text": tier["display"]}
    else:
        observation["valueInteger"] = result.total
    observation["interpretation"] = [
        _concept(BAND_SYSTEM, result.band, BAND_LABELS),
        *(_concept(FLAG_SYSTEM, flag, FLAG_LABELS) for flag in result.flags),
    ]
    if components := _components(result):
        observation["component"] = components
    if derived_from:
        observation["derivedFrom"] = [{"reference": derived_from}]
    return observation


def flags_of(observation: Mapping[str, Any]) -> tuple[str, ...]:
    """The safety flags an Observation from ``to_observation`` carries."""
    return tuple(
        coding["code"]
        for concept in observation.get("interpretation", [])
        for coding in concept.get("coding", [])
        if coding.get("system") == FLAG_SYSTEM
    )


def _chosen_option(item: Item, value: Value) -> Option:
    """The option a valid answer chose."""
    chosen = coding_of(item, value)
    return next(option for option in item.options if (option.system, option.code) == chosen)


def _answered(item: Item, answer: dict[str, Any]) -> dict[str, Any]:
    return {"linkId": item.link_id, "text": item.text, "answer": [answer]}


def _coding(option: Option) -> dict[str, str]:
    return {"system": option.system, "code": option.code, "display": option.display}


def _result_item(definition: Mapping[str, Any]) -> dict[str, Any]:
    return next(raw for raw in definition["item"] if raw.get("readOnly"))


def _risk_option(result_item: Mapping[str, Any], tier: str) -> Option:
    codings = [option["valueCoding"] for option in result_item["answerOption"]]
    raw = next(coding for coding in codings if coding["code"] == tier)
    return Option(raw["system"], raw["code"], raw["display"], None)


def _result_answer(definition: Mapping[str, Any], result: ScoreResult) -> dict[str, Any]:
    raw = _result_item(definition)
    answer: dict[str, Any]
    if result.total is None:
        answer = {"valueCoding": _coding(_risk_option(raw, result.band))}
    else:
        answer = {"valueInteger": result.total}
    return {"linkId": raw["linkId"], "text": raw["text"], "answer": [answer]}


def _concept(system: str, code: str, labels: Mapping[str, str]) -> dict[str, Any]:
    label = labels.get(code, code.replace("-", " ").capitalize())
    return {"coding": [{"system": system, "code": code, "display": label}], "text": label}


def _components(result: ScoreResult) -> list[dict[str, Any]]:
    def part(name: str) -> dict[str, Any]:
        return {"code": _concept(PART_SYSTEM, f"{result.instrument}-{name.lower()}", PART_LABELS)}

    components = [{**part(name), "valueInteger": value} for name, value in result.subscores.items()]
    if result.action_zone is not None:
        zone = _concept(BAND_SYSTEM, result.action_zone, BAND_LABELS)
        components.append({**part("action-zone"), "valueCodeableConcept": zone})
    components += [{**part(name), "valueBoolean": met} for name, met in result.criteria.items()]
    return components


def _date_time(moment: datetime, name: str) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} needs a time zone: FHIR dateTimes with a time carry one")
    return moment.isoformat()
