"""ICD-10-CM codes (icd10.py): the shape check and the clinic's pick-list."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dendrite.patients import icd10

FAMILIES = [
    "F32",
    "F33",
    "F41.1",
    "F43.1",
    "F10",
    "F11",
    "F12",
    "F13",
    "F14",
    "F15",
    "F16",
    "F17",
    "F18",
    "F19",
]


@pytest.mark.parametrize(
    "code",
    [
        "F32.0",
        "F32.9",
        "F32.A",
        "F33.1",
        "F33.41",
        "F41.1",
        "F43.10",
        "F43.12",
        "F10.20",
        "F10.239",
        "F11.23",
        "F17.210",
        "F19.20",
        "T40.7X1A",
        "Z3A.01",
        "C4A.9",
        "U07.1",
        "F99",
    ],
)
def test_well_formed_codes_are_accepted(code):
    assert icd10.is_well_formed(code)


@pytest.mark.parametrize(
    "code",
    ["", "F", "F3", "33.1", "FF3.1", "F33.", "F33.12345", "F33-1", "f33.1", "F33 1", "F33..1"],
)
def test_malformed_codes_are_refused(code):
    assert not icd10.is_well_formed(code)


@pytest.mark.parametrize(
    ("typed", "code"),
    [("f331", "F33.1"), (" F 41.1 ", "F41.1"), ("f10239", "F10.239"), ("F99", "F99")],
)
def test_codes_are_normalised_as_staff_type_them(typed, code):
    assert icd10.normalize(typed) == code


def test_the_pick_list_covers_the_clinics_families_and_is_well_formed():
    codes = [code for code, _ in icd10.pick_list()]
    assert len(codes) == len(set(codes))
    assert all(icd10.is_well_formed(code) for code in codes)
    for family in FAMILIES:
        assert any(code.startswith(family) for code in codes), family
    assert icd10.description_of("F41.1") == "Generalized anxiety disorder"
    assert icd10.description_of("F50.00") == ""


@given(st.from_regex(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?", fullmatch=True))
def test_normalising_a_well_formed_code_keeps_it(code):
    assert icd10.normalize(code) == code and icd10.is_well_formed(code)
