"""The patient list: the user's locations only, searched by name, date of birth, MRN or phone."""

import datetime as dt

import pytest
from django.urls import reverse

from dendrite.conftest import make_patient, query_count, signed_in

from .conftest import audited

pytestmark = pytest.mark.django_db

LIST = reverse("patients:patient_list")


def shown(client, q: str = "", **params) -> list[str]:
    response = client.get(LIST, {"q": q, **params})
    assert response.status_code == 200
    return [patient.first_name for patient in response.context["page"]]


def test_the_list_shows_the_patients_of_the_users_own_locations_in_name_order(
    front_desk, alice, bob, charlie
):
    # Bob Hopper before Alice Lovelace; Charlie is at West Hartford.
    assert shown(signed_in(front_desk)) == ["Bob", "Alice"]


def test_the_other_location_sees_only_its_own(prescriber_hartford, alice, bob, charlie):
    assert shown(signed_in(prescriber_hartford)) == ["Charlie"]


@pytest.mark.parametrize(
    "q",
    ["Lovelace", "lovel", "ALICE", "Alice Lovelace", "Lovelace, Alice", "ali lov", "Lovelace,"],
)
def test_a_name_or_the_start_of_one_finds_the_patient(nurse, alice, bob, q):
    assert shown(signed_in(nurse), q) == ["Alice"]


def test_names_are_found_without_their_accents_and_punctuation(nurse, boston, alice):
    make_patient(boston, "Zoë", "O'Brien-Núñez")
    client = signed_in(nurse)
    assert shown(client, "obrien") == ["Zoë"]
    assert shown(client, "O'Brien Nunez") == ["Zoë"]
    assert shown(client, "zoe") == ["Zoë"]


@pytest.mark.parametrize("q", ["1985-12-10", "12/10/1985"])
def test_a_date_of_birth_finds_the_patient(nurse, alice, bob, q):
    assert shown(signed_in(nurse), q) == ["Alice"]


@pytest.mark.parametrize("q", ["(617) 555-0142", "617-555-0142", "+1 617 555 0142", "6175550142"])
def test_a_phone_number_written_any_usual_way_finds_the_patient(nurse, alice, bob, q):
    assert shown(signed_in(nurse), q) == ["Alice"]


def test_an_mrn_finds_the_patient(nurse, alice, bob):
    assert shown(signed_in(nurse), bob.mrn) == ["Bob"]
    assert shown(signed_in(nurse), bob.mrn.lower()) == ["Bob"]


def test_an_mrn_of_another_location_finds_nothing(nurse, alice, charlie):
    response = signed_in(nurse).get(LIST, {"q": charlie.mrn})
    assert list(response.context["page"]) == []
    assert b"No patient at your locations matches" in response.content


def test_punctuation_alone_finds_nobody_rather_than_everybody(nurse, alice):
    assert shown(signed_in(nurse), "!!!") == []


def test_the_list_is_paginated_25_a_page(nurse, boston):
    for number in range(30):
        make_patient(boston, f"Person{number:02d}", "Example")
    client = signed_in(nurse)
    assert len(shown(client)) == 25
    assert len(shown(client, page=2)) == 5


def test_the_list_is_audited_with_ids_and_the_kind_of_search_never_the_words(nurse, alice):
    signed_in(nurse).get(LIST, {"q": "Lovelace"})
    [event] = audited("patients.patient.list")
    assert event.detail == {"ids": [alice.pk], "search": "name"}
    assert "Lovelace" not in str(event.detail)


def test_the_list_keeps_a_constant_query_count(nurse, boston, django_assert_max_num_queries):
    client = signed_in(nurse)
    make_patient(boston, "First", "Patient")
    client.get(LIST)
    with django_assert_max_num_queries(16) as few:  # 20 before the header's one query
        client.get(LIST)
    for number in range(40):
        make_patient(boston, f"Person{number}", "Example", date_of_birth=dt.date(1990, 1, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST, {"q": "1990-01-01"}).status_code == 200


def test_a_name_search_keeps_its_query_count_as_the_matches_grow_tenfold(nurse, boston):
    client = signed_in(nurse)
    for number in range(3):
        make_patient(boston, f"Ann{number}", "Searchwell")
    client.get(LIST, {"q": "Searchwell"})
    few = query_count(lambda: client.get(LIST, {"q": "Searchwell"}))
    for number in range(3, 30):
        make_patient(boston, f"Ann{number}", "Searchwell")
    response = client.get(LIST, {"q": "Searchwell"})
    assert response.context["page"].paginator.count == 30
    assert query_count(lambda: client.get(LIST, {"q": "Searchwell"})) == few


def test_a_search_longer_than_100_characters_is_cut_not_refused(nurse, alice):
    assert shown(signed_in(nurse), "Lovelace" + "x" * 200) == []


def test_clinic_admins_cannot_list_patients(clinic_admin, alice):
    assert signed_in(clinic_admin).get(LIST).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
