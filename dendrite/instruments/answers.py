"""Checking a patient's answers against an instrument's questions.

Answers come as a list in item order or a dict keyed by linkId. Each value is:

- the chosen option's score (an int, never a bool) for a scored question;
- True or False for a yes/no question (the raw answer: reverse scoring is the
  engine's job, not the caller's);
- the LOINC answer code (a str) for an unscored question (PHQ-9 difficulty);
- None, or nothing at all, for a question the skip logic leaves out.

Every problem is collected, then raised at once as a ScoringError whose
``errors`` maps each linkId (or parameter name) to a message a person can read,
and ``codes`` maps it to the kind of problem, for programs.
"""

from collections.abc import Mapping, Sequence

from .loader import NO, YES, Item

Value = int | bool | str | None


class ScoringError(ValueError):
    """The answers or options cannot be scored; see ``errors`` and ``codes``."""

    def __init__(self, errors: Mapping[str, str], codes: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        self.codes = dict(codes)
        super().__init__("; ".join(f"{key}: {message}" for key, message in self.errors.items()))


class Problems:
    """Collects problems by key, then raises them together."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}
        self.codes: dict[str, str] = {}

    def add(self, key: str, code: str, message: str) -> None:
        self.errors[key] = message
        self.codes[key] = code

    def raise_if_any(self) -> None:
        if self.errors:
            raise ScoringError(self.errors, self.codes)


def read_answers(items: Sequence[Item], answers: object) -> dict[str, Value]:
    """Every question's answer by linkId (None where not answered); raise ScoringError."""
    items = tuple(items)
    fast = _read_plain_list(items, answers)
    if fast is not None:
        return fast
    given = _by_link_id(items, answers)
    problems = Problems()
    by_id = _form(items)[0]
    for key in given:
        if key not in by_id:
            problems.add(str(key), "unknown-item", f"There is no question {key!r} on this form.")
    values: dict[str, Value] = {}
    for item in items:
        if problems.errors and any(when.question in problems.errors for when in item.enable_when):
            continue  # the question it depends on is wrong already; one message is enough
        value = given.get(item.link_id)
        asked = not item.enable_when or is_enabled(item, values, by_id)
        if value is None:
            if asked and item.required:
                problems.add(item.link_id, "missing", "Please answer this question.")
        elif not asked and not item.optional_skip:
            problems.add(
                item.link_id,
                "not-asked",
                "This question is skipped because of an earlier answer; leave it empty.",
            )
        elif problem := _value_problem(item, value):
            problems.add(item.link_id, *problem)
        values[item.link_id] = value if item.link_id not in problems.errors else None
    problems.raise_if_any()
    return values


_FORMS: dict[int, tuple[tuple[Item, ...], dict[str, Item], set[int], bool]] = {}


def _form(items: tuple[Item, ...]) -> tuple[dict[str, Item], set[int], bool]:
    """Facts about a form that every call would otherwise work out again.

    Kept by the identity of the (cached, immutable) tuple of questions: hashing the
    questions themselves would cost more than the work saved.
    """
    known = _FORMS.get(id(items))
    if known is None or known[0] is not items:
        if len(_FORMS) > 64:  # only a handful of forms exist; never let this grow
            _FORMS.clear()
        by_id = {item.link_id: item for item in items}
        no_skips = not any(item.enable_when for item in items)
        known = _FORMS[id(items)] = (items, by_id, _allowed_lengths(items), no_skips)
    return known[1], known[2], known[3]


def _read_plain_list(items: tuple[Item, ...], answers: object) -> dict[str, Value] | None:
    """The common case, quickly: a list of valid answers to a form without skip logic.

    Returns None for anything else, which then takes the full path with its messages.
    """
    by_id, lengths, no_skips = _form(items)
    if not (no_skips and type(answers) is list and len(answers) in lengths):
        return None
    values: dict[str, Value] = dict.fromkeys(by_id)
    for item, value in zip(items, answers, strict=False):
        valid = (
            type(value) is bool
            if item.is_yes_no
            else type(value) is int and item.is_scored and value in item.scores
        )
        if not valid:
            return None
        values[item.link_id] = value
    return values


def is_enabled(item: Item, values: Mapping[str, Value], by_id: Mapping[str, Item]) -> bool:
    """FHIR enableWhen over the answers so far: "=" needs the answer, "!=" holds without one."""
    if not item.enable_when:
        return True
    # Each question's answer once: AUDIT questions 4-8 test questions 2 and 3 eight times.
    questions = {when.question for when in item.enable_when}
    answers = {q: coding_of(by_id[q], values.get(q)) for q in questions}
    results = [(answers[w.question] == w.answer) == (w.operator == "=") for w in item.enable_when]
    return any(results) if item.enable_behavior == "any" else all(results)


def coding_of(item: Item, value: Value) -> tuple[str, str] | None:
    """The (system, code) of the option a valid answer chose."""
    for option in item.options:
        if item.is_yes_no and isinstance(value, bool):
            chosen = option.code == (YES if value else NO)
        elif isinstance(value, str):
            chosen = option.code == value
        else:
            chosen = option.score == value
        if chosen and value is not None:
            return (option.system, option.code)
    return None


def _by_link_id(items: Sequence[Item], answers: object) -> Mapping[object, Value]:
    if isinstance(answers, list | tuple):  # tested before Mapping, whose ABC check is slower
        lengths = _allowed_lengths(items)
        if len(answers) not in lengths:
            expected = " or ".join(str(n) for n in sorted(lengths))
            raise ScoringError(
                {"answers": f"Expected {expected} answers in item order, got {len(answers)}."},
                {"answers": "wrong-count"},
            )
        return {item.link_id: value for item, value in zip(items, answers, strict=False)}
    if isinstance(answers, Mapping):
        return answers
    raise ScoringError(
        {"answers": "Send the answers as a list in item order or as an object keyed by linkId."},
        {"answers": "wrong-shape"},
    )


def _allowed_lengths(items: Sequence[Item]) -> set[int]:
    """The full list, or the list without its trailing optional or conditional questions."""
    shortest = len(items)
    while shortest and (not items[shortest - 1].required or items[shortest - 1].enable_when):
        shortest -= 1
    return {len(items), shortest}


def _value_problem(item: Item, value: Value) -> tuple[str, str] | None:
    if type(value) is int and value in item.scores and not item.is_yes_no:
        return None  # the common case first: an option's score (type(True) is bool, not int)
    if item.is_yes_no:
        if not isinstance(value, bool):
            return ("wrong-type", "Answer yes or no (true or false).")
        return None
    if not item.is_scored:
        codes = [option.code for option in item.options]
        if not isinstance(value, str):
            return ("wrong-type", f"Send the answer code, one of {', '.join(codes)}.")
        if value not in codes:
            return ("not-an-option", f"Choose one of {', '.join(codes)}.")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return ("wrong-type", "Send the score of the chosen answer as a whole number.")
    scores = item.scores
    if not min(scores) <= value <= max(scores):
        return ("out-of-range", f"Choose a score from {min(scores)} to {max(scores)}.")
    if value not in scores:
        listed = ", ".join(str(score) for score in scores[:-1]) + f" or {scores[-1]}"
        return ("not-an-option", f"Choose one of the scores {listed}.")
    return None
