"""The duplicate matcher (patients/matching.py): pure, no database."""

import datetime as dt

from hypothesis import assume, given
from hypothesis import strategies as st

from dendrite.patients.matching import THRESHOLD, Person, likely, normal_phone, score

BORN = dt.date(1984, 3, 27)
CASEY = Person("Casey", "Morgan", BORN, "casey@example.test", "+16175550142")


def test_the_same_person_typed_differently_matches_on_every_field():
    typed = Person("  CÁSEY ", "morgan", BORN, "Casey@Example.TEST", "(617) 555-0142")
    match = score(typed, CASEY)
    assert match.fields == ("name", "date_of_birth", "email", "phone")
    assert match.words == ["same name", "same date of birth", "same e-mail address",
                           "same phone number"]  # fmt: skip


def test_a_swapped_first_and_last_name_is_seen():
    match = score(Person("Morgan", "Casey", BORN), CASEY)
    assert match.fields == ("swapped_name", "date_of_birth")
    assert match.score >= THRESHOLD


def test_a_name_alone_or_a_birthday_alone_is_not_enough():
    assert score(Person("Casey", "Morgan", dt.date(1990, 1, 1)), CASEY).score < THRESHOLD
    assert score(Person("Robin", "Lee", BORN), CASEY).score < THRESHOLD


def test_an_e_mail_address_alone_is_worth_a_look():
    assert score(Person("Robin", "Lee", None, "CASEY@example.test"), CASEY).score >= THRESHOLD


def test_us_phone_numbers_compare_by_their_ten_digits():
    assert normal_phone("+1 617 555 0142") == normal_phone("617.555.0142") == "6175550142"
    assert normal_phone("") == ""


def test_empty_fields_never_match():
    assert score(Person("", "", None), Person("", "", None)).fields == ()


def test_likely_keeps_the_alike_most_alike_first():
    weak = Person("Robin", "Lee", BORN, "casey@example.test")
    strong = Person("Casey", "Morgan", BORN, "casey@example.test")
    stranger = Person("Sam", "Smith", dt.date(2000, 1, 1))
    found = likely(CASEY, [("weak", weak), ("strong", strong), ("stranger", stranger)])
    assert [item for item, _ in found] == ["strong", "weak"]


names = st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=20)


@given(first=names, last=names, born=st.dates())
def test_case_and_spaces_never_change_a_match(first, last, born):
    # Letters whose capital folds back to another letter (Turkish dotless ı) are not a
    # difference of case.
    assume(first.upper().casefold() == first.casefold())
    person = Person(first, last, born)
    typed = Person(f"  {first.upper()} ", last.lower() + " ", born)
    assert score(typed, person).fields == score(person, person).fields


@given(first=names, last=names, born=st.dates(), other=st.dates())
def test_the_score_is_symmetric(first, last, born, other):
    a, b = Person(first, last, born), Person(last, first, other)
    assert score(a, b) == score(b, a)
