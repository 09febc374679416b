"""Instrument definitions: one FHIR R4 Questionnaire per file in ``definitions/``.

Plain Python, no Django. Each file is checked against the FHIR R4B Questionnaire
model (R4B keeps R4's Questionnaire shape) the first time it is loaded, then
cached. The scoring engine reads item order and answer scores from here, so the
scores live in one place: the JSON (the ``ordinalValue`` of each answer option).

Conventions in the JSON:

- Questions are the items that are neither ``display`` nor ``readOnly``; the
  read-only item carries the LOINC code of the result (total or risk level).
- Yes/no questions are ``choice`` items answered with LOINC Yes (LA33-6) / No
  (LA32-8).
- ``enableWhen`` is the skip logic. An item carrying the ``optional-skip``
  extension may be answered even when its enableWhen is false, and scores its
  lowest option when skipped (the AUDIT's skip to question 9).
- Other languages ride on FHIR's standard translation extension on ``_text`` (items)
  and ``_display`` (answer codings): ``lang`` and ``content``. Only a validated
  translation goes in, and the Questionnaire's ``language-versions`` extension says
  where it comes from; ``Item.text_in`` / ``Option.display_in`` fall back to English.
"""

import copy
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
# Canonical base for our URLs and local code systems: a reserved .example placeholder until
# the project has a domain of its own (rename it in the JSON files too).
BASE_URL = "https://dendrite.example/fhir"
LOINC = "http://loinc.org"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
OPTIONAL_SKIP = f"{BASE_URL}/StructureDefinition/optional-skip"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
# Which validated translations a definition carries, and their source.
LANGUAGE_VERSIONS = f"{BASE_URL}/StructureDefinition/language-versions"
# LOINC Yes / No answers - CLINICAL.md §1.7 [R37][R43]
YES = "LA33-6"
NO = "LA32-8"


class UnknownInstrument(KeyError):
    """There is no definition for this instrument code."""


@dataclass(frozen=True)
class Option:
    system: str
    code: str
    display: str
    score: int | None  # None: the answer carries no score (the PHQ-9 difficulty question)
    translations: tuple[tuple[str, str], ...] = ()  # (language, display)

    def display_in(self, language: str) -> str:
        return _pick(self.translations, language, self.display)


@dataclass(frozen=True)
class Condition:
    """One enableWhen entry: the question's answer compared with a coding."""

    question: str
    operator: str  # "=" or "!="
    answer: tuple[str, str]  # (system, code)


@dataclass(frozen=True)
class Item:
    link_id: str
    text: str
    loinc: str | None
    required: bool
    options: tuple[Option, ...]
    enable_when: tuple[Condition, ...] = ()
    enable_behavior: str = "all"
    optional_skip: bool = False
    translations: tuple[tuple[str, str], ...] = ()  # (language, text)

    def text_in(self, language: str) -> str:
        """The question in `language` ("es", "es-mx"), English when not translated."""
        return _pick(self.translations, language, self.text)

    # Cached (the scoring engine asks these for every answer); a frozen dataclass still has a
    # __dict__, which is where functools.cached_property keeps the value.
    @functools.cached_property
    def is_yes_no(self) -> bool:
        return {option.code for option in self.options} == {YES, NO}

    @functools.cached_property
    def is_scored(self) -> bool:
        return self.options[0].score is not None

    @functools.cached_property
    def scores(self) -> tuple[int, ...]:
        return tuple(option.score for option in self.options if option.score is not None)


def instrument_codes() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in DEFINITIONS_DIR.glob("*.json")))


def languages(code: str) -> tuple[str, ...]:
    """The languages besides English the whole questionnaire is translated into."""
    return tuple(version["lang"] for version in language_versions(code))


@functools.cache
def language_versions(code: str) -> tuple[dict[str, str], ...]:
    """The validated translations a definition carries: lang and source."""
    found = []
    for ext in _load(code).get("extension", []):
        if ext["url"] == LANGUAGE_VERSIONS:
            parts = {part["url"]: part["valueString"] for part in ext["extension"]}
            found.append({"lang": parts["lang"], "source": parts["source"]})
    return tuple(found)


def title_in(code: str, language: str) -> str:
    data = _load(code)
    return _pick(_translations(data.get("_title")), language, data["title"])


def intro(code: str, language: str) -> list[str]:
    """The texts of the display items (the instructions), in `language` where translated."""
    return [
        _pick(_translations(raw.get("_text")), language, raw["text"])
        for raw in _load(code)["item"]
        if raw["type"] == "display"
    ]


def get_definition(code: str) -> dict[str, Any]:
    """The Questionnaire as a dict (a copy: callers may change it freely)."""
    return copy.deepcopy(_load(code))


def read_definition(code: str) -> Mapping[str, Any]:
    """The Questionnaire as loaded, shared and not copied: for readers that change nothing
    (the FHIR mapping of every stored response, where a deep copy each time dominated)."""
    return MappingProxyType(_load(code))


def version(code: str) -> str:
    return str(_load(code)["version"])


def list_instruments() -> list[dict[str, str | None]]:
    """One entry per instrument; ``loinc`` is the panel code, ``result_loinc`` the total's."""
    return [_summary(code, _load(code)) for code in instrument_codes()]


@functools.cache
def questions(code: str) -> tuple[Item, ...]:
    """The questions a patient answers, in order."""
    return tuple(_item(raw) for raw in _load(code)["item"] if _is_question(raw))


def item_order(code: str) -> tuple[str, ...]:
    return tuple(item.link_id for item in questions(code))


def get_item(code: str, link_id: str) -> Item:
    for item in questions(code):
        if item.link_id == link_id:
            return item
    raise KeyError(link_id)


def answer_scores(code: str, link_id: str) -> tuple[int, ...]:
    """The scores a question's options carry, in option order (empty if unscored)."""
    return get_item(code, link_id).scores


@functools.cache
def max_total(code: str) -> int:
    return sum(max(item.scores) for item in questions(code) if item.is_scored)


@functools.cache
def _load(code: str) -> dict[str, Any]:
    if code not in instrument_codes():  # also keeps "../x" away from the file system
        raise UnknownInstrument(code)
    data: dict[str, Any] = json.loads((DEFINITIONS_DIR / f"{code}.json").read_text("utf-8"))
    Questionnaire.model_validate(data)
    _check(code, data)
    return data


def _check(code: str, data: dict[str, Any]) -> None:
    """What the FHIR model does not check but the scoring engine relies on."""
    problems = []
    if data.get("id") != code or data.get("status") != "active" or not data.get("version"):
        problems.append("id must match the file name, status be active, version be set")
    seen: list[str] = []
    for raw in data["item"]:
        link_id = raw["linkId"]
        if link_id in seen:
            problems.append(f"duplicate linkId {link_id}")
        if raw["type"] not in ("display", "choice", "integer"):
            problems.append(f"{link_id}: unsupported item type {raw['type']}")
        if len(raw.get("enableWhen", [])) > 1 and "enableBehavior" not in raw:
            problems.append(f"{link_id}: several enableWhen need an enableBehavior")
        for when in raw.get("enableWhen", []):
            if when["question"] not in seen or when["operator"] not in ("=", "!="):
                problems.append(f"{link_id}: enableWhen must test an earlier question with = or !=")
            if "answerCoding" not in when:
                problems.append(f"{link_id}: enableWhen must compare with an answerCoding")
        if _is_question(raw):
            scores = [option.score for option in _item(raw).options]
            if None in scores and any(score is not None for score in scores):
                problems.append(f"{link_id}: score every option or none")
            if len(set(scores)) != len(scores) and scores[0] is not None:
                problems.append(f"{link_id}: two options carry the same score")
        seen.append(link_id)
    problems += _check_translations(data)
    if problems:
        raise ValueError(f"{code}.json: " + "; ".join(problems))


def _check_translations(data: dict[str, Any]) -> list[str]:
    """A questionnaire is translated whole or not at all: every question, option and
    instruction of a language it declares, so no page mixes two languages."""
    declared = [
        part["valueString"]
        for ext in data.get("extension", [])
        if ext["url"] == LANGUAGE_VERSIONS
        for part in ext["extension"]
        if part["url"] == "lang"
    ]
    problems = []
    for raw in data["item"]:
        if raw.get("readOnly"):
            continue
        texts = [raw.get("_text")] + [
            o["valueCoding"].get("_display") for o in raw.get("answerOption", [])
        ]
        for lang in declared:
            if any(lang not in dict(_translations(text)) for text in texts):
                problems.append(f"{raw['linkId']}: not translated into {lang}")
        for text in texts:
            for lang, _content in _translations(text):
                if lang not in declared:
                    problems.append(f"{raw['linkId']}: {lang} is not in language-versions")
    return problems


def _translations(element: dict[str, Any] | None) -> tuple[tuple[str, str], ...]:
    """(lang, content) of each translation extension on a primitive's ``_text``/``_display``."""
    found = []
    for ext in (element or {}).get("extension", []):
        if ext["url"] == TRANSLATION:
            parts = {part["url"]: part for part in ext["extension"]}
            found.append((parts["lang"]["valueCode"], parts["content"]["valueString"]))
    return tuple(found)


def _pick(translations: tuple[tuple[str, str], ...], language: str, english: str) -> str:
    wanted = language.lower()
    for lang, content in translations:
        if lang.lower() == wanted:
            return content
    base = wanted.split("-")[0]
    for lang, content in translations:
        if lang.lower().split("-")[0] == base:
            return content
    return english


def _is_question(raw: dict[str, Any]) -> bool:
    return raw["type"] != "display" and not raw.get("readOnly", False)


def _item(raw: dict[str, Any]) -> Item:
    return Item(
        link_id=raw["linkId"],
        text=raw["text"],
        loinc=_first_loinc(raw),
        required=raw.get("required", False),
        options=tuple(_option(option) for option in raw.get("answerOption", [])),
        enable_when=tuple(
            Condition(
                when["question"],
                when["operator"],
                (when["answerCoding"]["system"], when["answerCoding"]["code"]),
            )
            for when in raw.get("enableWhen", [])
        ),
        enable_behavior=raw.get("enableBehavior", "all"),
        optional_skip=any(
            ext["url"] == OPTIONAL_SKIP and ext["valueBoolean"] for ext in raw.get("extension", [])
        ),
        translations=_translations(raw.get("_text")),
    )


def _option(raw: dict[str, Any]) -> Option:
    coding = raw["valueCoding"]
    ordinal = [
        ext["valueDecimal"] for ext in raw.get("extension", []) if ext["url"] == ORDINAL_VALUE
    ]
    if ordinal and ordinal[0] != int(ordinal[0]):
        raise ValueError(f"answer {coding['code']}: scores must be whole numbers")
    return Option(
        system=coding["system"],
        code=coding["code"],
        display=coding["display"],
        score=int(ordinal[0]) if ordinal else None,
        translations=_translations(coding.get("_display")),
    )


def _summary(code: str, data: dict[str, Any]) -> dict[str, str | None]:
    result: dict[str, Any] = next((raw for raw in data["item"] if raw.get("readOnly")), {})
    return {
        "code": code,
        "title": data["title"],
        "version": data["version"],
        "loinc": _first_loinc(data),
        "result_loinc": _first_loinc(result),
    }


def _first_loinc(element: dict[str, Any]) -> str | None:
    codes = [coding["code"] for coding in element.get("code", []) if coding["system"] == LOINC]
    return codes[0] if codes else None
