"""Reading the search box (search.py): pure functions, boundary cases and properties."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dendrite.patients.search import NameQuery, Query, name_key, parse, prefix_range


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", Query("", None)),
        ("   ", Query("", None)),
        ("1985-12-10", Query("dob", dt.date(1985, 12, 10))),
        ("12/10/1985", Query("dob", dt.date(1985, 12, 10))),
        ("12-10-1985", Query("dob", dt.date(1985, 12, 10))),
        ("(617) 555-0142", Query("phone", "+16175550142")),
        ("+44 20 7946 0958", Query("phone", "+442079460958")),
        ("TC0000001", Query("mrn", "TC0000001")),
        ("tc 0000001", Query("mrn", "TC0000001")),
        ("555-0142", Query("mrn", "555-0142")),  # too short for a phone number
        ("1985-13-45", Query("mrn", "1985-13-45")),  # not a date
        ("Lovelace", Query("name", NameQuery("lovelace", "", ""))),
        ("Ada  Lovelace", Query("name", NameQuery("adalovelace", "ada", "lovelace"))),
        ("Lovelace, Ada", Query("name", NameQuery("lovelaceada", "ada", "lovelace"))),
        ("Mary Ann Smith", Query("name", NameQuery("maryannsmith", "mary", "smith"))),
    ],
)
def test_the_search_box_is_read_as_expected(typed, expected):
    assert parse(typed) == expected


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("O'Brien-Núñez", "obriennunez"),
        ("ZOË", "zoe"),
        ("van der Berg", "vanderberg"),
        ("Straße", "strasse"),
        ("李", "李"),
        ("Anne-Marie 2nd", "annemarie2nd"),
        ("ᴬ𝐁", "ab"),  # compatibility forms decompose to capitals: still lower case
    ],
)
def test_names_become_keys_of_letters_and_digits(name, key):
    assert name_key(name) == key


@given(st.text(max_size=60))
def test_any_text_is_read_without_error(text):
    assert parse(text).kind in {"", "dob", "phone", "mrn", "name"}


@given(st.text(max_size=40))
def test_a_key_is_lower_case_letters_and_digits_only(name):
    key = name_key(name)
    assert all(ch.isalnum() for ch in key)
    assert name_key(key) == key


# What name_key can produce: letters and digits of any script.
KEY_TEXT = st.characters(categories=["L", "N"])


@given(st.text(KEY_TEXT, min_size=1, max_size=6), st.text(KEY_TEXT, max_size=10))
def test_the_prefix_range_holds_exactly_the_strings_with_the_prefix(prefix, candidate):
    low, high = prefix_range(prefix)
    for text in (candidate, prefix + candidate, prefix[:-1] + candidate):
        assert (low <= text < high) == text.startswith(prefix)
