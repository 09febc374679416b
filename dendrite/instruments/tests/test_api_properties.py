"""Property-based tests (hypothesis) of the scoring endpoint: valid answers are scored,
invalid ones get a 400 with a message per problem, and nothing is ever a 500."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from dendrite.instruments import loader
from dendrite.instruments.answers import is_enabled

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # ~1 s per test: 50 requests each

# No example database: the suite must not write files outside the app.
SETTINGS = settings(database=None, deadline=None, max_examples=50)
CODES = loader.instrument_codes()


def post(code, body):
    cache.clear()  # a fresh rate limit for every example
    return APIClient().post(reverse("instruments:score", args=[code]), body, format="json")


def allowed_values(item):
    if item.is_yes_no:
        return [True, False]
    if item.is_scored:
        return list(item.scores)
    return [option.code for option in item.options]  # unscored: the answer code


@st.composite
def valid_values(draw, code):
    """An answer (or None) for every question, following the skip logic: a question that is
    asked and required is answered; an optional or optional-skip one may be left empty."""
    items = loader.questions(code)
    by_id = {item.link_id: item for item in items}
    values = {}
    for item in items:
        asked = is_enabled(item, values, by_id)
        value = None
        if asked or item.optional_skip:
            value = draw(st.sampled_from(allowed_values(item)))
            if not (asked and item.required) and draw(st.booleans()):
                value = None
        values[item.link_id] = value
    return values


@st.composite
def as_sent(draw, code, values):
    """The same answers as a list in item order or as an object keyed by linkId."""
    shape = draw(st.sampled_from(["list", "object", "object without nulls"]))
    if shape == "list":
        return list(values.values())
    if shape == "object":
        return values
    return {link_id: value for link_id, value in values.items() if value is not None}


def with_options(code, answers, data):
    body = {"answers": answers}
    if code == "audit-c":
        body["sex"] = data.draw(st.sampled_from(["female", "male"]))
    return body


@pytest.mark.parametrize("code", CODES)
@SETTINGS
@given(data=st.data())
def test_every_valid_answer_set_is_scored(code, data):
    values = data.draw(valid_values(code))
    answers = data.draw(as_sent(code, values))

    response = post(code, with_options(code, answers, data))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["instrument"] == code
    if body["total"] is not None:
        assert 0 <= body["total"] <= loader.max_total(code)


def bad_values(item):
    """Values no option of this question allows."""
    highest, lowest = max(item.scores, default=0), min(item.scores, default=0)
    out_of_range = st.integers(highest + 1, highest + 10**6) | st.integers(-(10**6), lowest - 1)
    if item.is_yes_no:
        return st.integers() | st.sampled_from(["yes", "no", "LA33-6", ""])
    if item.is_scored:
        between = [n for n in range(lowest, highest) if n not in item.scores]  # AUDIT 9 and 10
        return out_of_range | st.booleans() | st.sampled_from([*between, 1.5, "1"]) | st.none()
    return st.integers() | st.text().filter(lambda s: s not in allowed_values(item))


def allowed_lengths(items):
    """A list holds every question, or all but the trailing optional or conditional ones."""
    shortest = len(items)
    while shortest and (not items[shortest - 1].required or items[shortest - 1].enable_when):
        shortest -= 1
    return {len(items), shortest}


@st.composite
def invalid_answers(draw, code):
    """A valid answer set with one thing wrong, in any of the ways a client gets it wrong."""
    items = loader.questions(code)
    values = draw(valid_values(code))
    fault = draw(st.sampled_from(["length", "value", "unknown linkId"]))
    if fault == "length":
        lengths = allowed_lengths(items)
        count = draw(st.integers(0, len(items) + 5).filter(lambda n: n not in lengths))
        padded = [*values.values(), *[0] * 5]
        return padded[:count]
    if fault == "unknown linkId":
        key = draw(st.text(min_size=1).filter(lambda k: k not in values))
        return {**values, key: draw(st.sampled_from([0, 1, True, None, "x"]))}
    by_id = {item.link_id: item for item in items}
    answered = [item for item in items if values[item.link_id] is not None]
    item = draw(st.sampled_from(answered))
    bad = draw(bad_values(item))
    if bad is None and not (item.required and is_enabled(item, values, by_id)):
        bad = "not an answer"  # leaving an optional or skippable question empty is allowed
    return draw(as_sent(code, {**values, item.link_id: bad}))


@pytest.mark.parametrize("code", CODES)
@SETTINGS
@given(data=st.data())
def test_every_invalid_answer_set_is_refused_with_a_message_never_a_500(code, data):
    answers = data.draw(invalid_answers(code))

    response = post(code, with_options(code, answers, data))

    assert response.status_code == 400, response.json()
    errors = response.json()["errors"]
    assert isinstance(errors, dict) and errors
    assert all(isinstance(message, str) and message for message in errors.values())


@pytest.mark.parametrize("code", CODES)
@SETTINGS
@given(body=st.dictionaries(st.text(), st.none() | st.booleans() | st.integers() | st.text()))
def test_a_body_of_any_other_shape_is_never_a_500(code, body):
    response = post(code, body)

    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert isinstance(response.json()["errors"], dict)


def test_a_sex_that_is_not_a_string_is_a_400():
    response = post("audit-c", {"answers": [1, 1, 1], "sex": ["female"]})

    assert response.status_code == 400


def test_a_dast10_answered_with_scores_instead_of_yes_no_is_refused():
    # DAST-10 options carry scores 0/1, but the answer is what the patient said (true/false).
    response = post("dast-10", {"answers": [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]})

    assert response.status_code == 400
    assert response.json()["codes"] == {
        "1": "wrong-type",
        **{str(n): "wrong-type" for n in range(2, 11)},
    }
