"""Likely duplicates on registration, and the candidate query behind them
(patients.access.duplicate_candidates)."""

import datetime as dt

import pytest
from django.urls import reverse

from dendrite.conftest import make_patient, query_count, signed_in
from dendrite.patients.access import duplicate_candidates
from dendrite.patients.matching import Person
from dendrite.patients.models import DuplicateOverride, Patient

pytestmark = pytest.mark.django_db

BORN = dt.date(1988, 7, 14)


def register(client, **data):
    fields = {"location": data.pop("location"), "first_name": "Casey", "last_name": "Morgan",
              "date_of_birth": BORN.isoformat(), "sex": "female", "email": "",
              "phone": "(617) 555-0199"} | data  # fmt: skip
    return client.post(reverse("patients:patient_new"), fields)


def test_the_candidates_are_found_by_any_indexed_field_and_scored(boston, front_desk):
    by_name = make_patient(boston, "Morgan", "Casey", date_of_birth=BORN)  # swapped
    by_email = make_patient(boston, "Robin", "Lee", email="CASEY@Example.test")
    by_phone = make_patient(boston, "Sam", "Smith", phone="+16175550199",
                            date_of_birth=BORN)  # fmt: skip
    make_patient(boston, "Casey", "Morgan", date_of_birth=dt.date(1950, 1, 1))  # name only
    person = Person("casey", "MORGAN", BORN, "casey@example.test", "617-555-0199")
    found = {patient: match.fields for patient, match in duplicate_candidates(front_desk, person)}
    assert found == {
        by_name: ("swapped_name", "date_of_birth"),
        by_email: ("email",),
        by_phone: ("date_of_birth", "phone"),
    }


def test_the_candidate_query_count_stays_the_same_as_charts_grow(boston, front_desk):
    person = Person("Casey", "Morgan", BORN, "casey@example.test", "+16175550199")
    make_patient(boston, "Casey", "Morgan", date_of_birth=BORN)
    duplicate_candidates(front_desk, person)  # the first audit entry of a run costs one more
    few = query_count(lambda: duplicate_candidates(front_desk, person))
    for n in range(12):
        make_patient(boston, "Casey", "Morgan", date_of_birth=BORN, email=f"c{n}@example.test")
        make_patient(boston, f"Other{n}", "Person", date_of_birth=BORN)
    assert query_count(lambda: duplicate_candidates(front_desk, person)) == few


def test_registering_a_likely_duplicate_shows_it_first(boston, front_desk):
    casey = make_patient(boston, "Casey", "Morgan", date_of_birth=BORN, phone="+16175550199")
    client = signed_in(front_desk)
    response = register(client, location=boston.pk)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This person may already have a chart" in page and casey.mrn in page
    assert 'value="Casey"' in page
    assert Patient.objects.count() == 1
    opened = register(client, location=boston.pk, link_to=casey.pk)
    assert opened.url == reverse("patients:chart", args=[casey.pk])
    assert Patient.objects.count() == 1


def test_registering_anyway_needs_a_reason_and_happens_once(boston, front_desk):
    casey = make_patient(boston, "Casey", "Morgan", date_of_birth=BORN, phone="+16175550199")
    client = signed_in(front_desk)
    missing = register(client, location=boston.pk, decision="new", reason="", token="t1")
    assert missing.status_code == 400 and Patient.objects.count() == 1
    assert "Please say why this is a different person" in missing.content.decode()
    first = register(client, location=boston.pk, decision="new", reason="Father, same name.",
                     token="t1")  # fmt: skip
    again = register(client, location=boston.pk, decision="new", reason="Father, same name.",
                     token="t1")  # fmt: skip
    new = Patient.objects.exclude(pk=casey.pk).get()
    assert first.url == again.url == reverse("patients:chart", args=[new.pk])
    assert DuplicateOverride.objects.get().candidates == [casey.pk]


def test_a_chart_of_another_location_is_not_a_candidate(boston, hartford, front_desk):
    make_patient(hartford, "Casey", "Morgan", date_of_birth=BORN)
    response = register(signed_in(front_desk), location=boston.pk)
    assert response.status_code == 302
