"""The exact OpenAPI (3.1) description of what the scoring endpoint accepts.

An instrument's answers are valid only for that instrument: how many, which scores,
which questions the skip logic leaves out. One templated path cannot say that, so the
schema names one scoring path per instrument (the URL a client calls is the same), each
with the body its questions allow, worked out here from the definitions (loader.py) with
the rules of answers.py:

- an answer is one of the question's option scores, true/false for a yes/no question,
  the option code for an unscored one (the PHQ-9 difficulty), never anything else;
- a required question that is asked needs an answer; an optional one may be null or left
  out; a question the skip logic leaves out is null or left out (or answered, when it
  carries the optional-skip extension);
- as a list, the answers come in item order, all of them or without the trailing
  optional or conditional questions (when none of those is asked and required).

Skip logic makes the body depend on earlier answers. The schema lists each way through
the form as its own alternative: the answers of a question other questions depend on are
split into the groups that decide alike (AUDIT question 1: "never", or any other answer),
so AUDIT has five alternatives and the C-SSRS screener four, each as an object and as a
list. No Django import: ``score_per_instrument`` is drf-spectacular's postprocessing hook
(SPECTACULAR_SETTINGS), and works on the generated dict.
"""

from collections.abc import Sequence
from typing import Any

from . import loader
from .answers import Value, _allowed_lengths, coding_of, is_enabled
from .loader import Item

SEXES = ("female", "male")
SCORE_PATH = "/api/v1/instruments/{code}/score"

Schema = dict[str, Any]


def _values(item: Item) -> list[Value]:
    if item.is_yes_no:
        return [True, False]
    if item.is_scored:
        return list(item.scores)
    return [option.code for option in item.options]


def _value_groups(item: Item, items: Sequence[Item]) -> list[list[Value]]:
    """The item's answers grouped by how they decide each question that depends on it.

    A question with enableBehavior "any" is asked when any condition holds, so only
    whether one of this item's conditions holds matters; with "all", whether all do.
    """
    dependants = [
        (other.enable_behavior, [w for w in other.enable_when if w.question == item.link_id])
        for other in items
    ]
    dependants = [(behavior, conditions) for behavior, conditions in dependants if conditions]
    groups: dict[tuple[bool, ...], list[Value]] = {}
    for value in _values(item):
        coding = coding_of(item, value)
        key = tuple(
            (any if behavior == "any" else all)(
                (coding == w.answer) == (w.operator == "=") for w in conditions
            )
            for behavior, conditions in dependants
        )
        groups.setdefault(key, []).append(value)
    return list(groups.values())


Way = list[tuple[Item, list[Value], bool]]


def _ways_through(items: Sequence[Item]) -> list[Way]:
    """Each way through the form: every item with the values allowed and whether it is required.

    A None among the values means null (or left out) is allowed.
    """
    by_id = {item.link_id: item for item in items}
    controllers = {w.question for item in items for w in item.enable_when}
    ways: list[Way] = []

    def walk(index: int, chosen: dict[str, Value], way: Way) -> None:
        if index == len(items):
            ways.append(way)
            return
        item = items[index]
        asked = not item.enable_when or is_enabled(item, chosen, by_id)
        may_answer = asked or item.optional_skip
        needed = asked and item.required
        groups: list[list[Value]] = []
        if may_answer:
            groups = _value_groups(item, items) if item.link_id in controllers else [_values(item)]
        if not needed:
            if item.link_id in controllers:
                groups = [*groups, [None]]  # left out decides otherwise than any answer
            else:
                groups = [[*group, None] for group in groups] or [[None]]
        for group in groups:
            walk(index + 1, {**chosen, item.link_id: group[0]}, [*way, (item, group, needed)])

    walk(0, {}, [])
    return ways


def _answer(values: list[Value]) -> Schema:
    return {"enum": values}


def answers_schema(code: str) -> Schema:
    """Every body's ``answers`` the scoring of this instrument accepts, as JSON Schema."""
    items = loader.questions(code)
    full, shortest = len(items), min(_allowed_lengths(items))
    alternatives: list[Schema] = []
    for way in _ways_through(items):
        alternatives.append(
            {
                "type": "object",
                "properties": {item.link_id: _answer(values) for item, values, _ in way},
                "required": [item.link_id for item, _, needed in way if needed],
                "additionalProperties": False,
            }
        )
        for length in sorted({shortest, full}):
            if any(needed for _, _, needed in way[length:]):
                continue
            alternatives.append(
                {
                    "type": "array",
                    "prefixItems": [_answer(values) for _, values, _ in way[:length]],
                    "items": False,
                    "minItems": length,
                    "maxItems": length,
                }
            )
    return {
        "description": "The answers, as an object keyed by question (linkId) or a list in "
        "question order: each the chosen option's score, true/false for yes/no questions, "
        "the option code for unscored questions, null (or left out) for questions the skip "
        "logic leaves out.",
        "anyOf": alternatives,
    }


def request_schema(code: str) -> Schema:
    sex: Schema = {"type": "string", "enum": list(SEXES)}
    if code == "audit-c":
        sex["description"] = "The patient's sex, for the AUDIT-C cut-off."
    else:
        sex["description"] = "Used by the AUDIT-C only; accepted and ignored here."
    return {
        "type": "object",
        "properties": {"answers": answers_schema(code), "sex": sex},
        "required": ["answers", "sex"] if code == "audit-c" else ["answers"],
        "additionalProperties": False,
    }


def _component_name(code: str) -> str:
    return "ScoreRequest" + "".join(part.capitalize() for part in code.split("-"))


def score_per_instrument(result: Schema, generator: Any, request: Any, public: Any) -> Schema:
    """drf-spectacular postprocessing hook: one scoring path per instrument, exact bodies."""
    paths = result.get("paths", {})
    template = paths.pop(SCORE_PATH, None)
    if template is None:
        return result
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("ScoreRequest", None)
    for code in loader.instrument_codes():
        name = _component_name(code)
        schemas[name] = request_schema(code)
        item: Schema = {}
        for method, operation in template.items():
            operation = {k: v for k, v in operation.items() if k != "parameters"}
            params = [p for p in template[method].get("parameters", []) if p.get("name") != "code"]
            if params:
                operation["parameters"] = params
            operation["operationId"] = f"{operation['operationId']}_{code.replace('-', '_')}"
            operation["summary"] = f"{operation.get('summary', 'Score')}: {code}"
            body = dict(operation["requestBody"])
            body["content"] = {
                media: {**content, "schema": {"$ref": f"#/components/schemas/{name}"}}
                for media, content in body["content"].items()
            }
            if code != "phq-9":  # the example is a PHQ-9's
                body["content"] = {
                    media: {k: v for k, v in content.items() if k != "examples"}
                    for media, content in body["content"].items()
                }
            operation["requestBody"] = body
            item[method] = operation
        paths[SCORE_PATH.replace("{code}", code)] = item
    result["paths"] = dict(sorted(paths.items()))
    return result
