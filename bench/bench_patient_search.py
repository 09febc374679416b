"""Patient search over 100 000 synthetic patients (pytest-benchmark; run with ``make bench``).

What is timed is what the list view does for one search: read the box (search.parse),
narrow to the user's locations, count the matches and fetch the first page of 25 — the
same queryset as /staff/patients/?q=…, without the HTTP and audit overhead. Every query
must use an index; the plan is checked too. Figures are in docs/benchmarks.md.
"""

import datetime as dt
import random

import pytest
from django.core.paginator import Paginator
from django.db import connection

from dendrite.accounts.models import Role, User
from dendrite.clinics.models import Location, Organization
from dendrite.conftest import make_location, make_user
from dendrite.patients.access import patients_for
from dendrite.patients.models import MrnCounter, Patient
from dendrite.patients.search import name_key, parse
from dendrite.scheduling.models import SeriesProtocol

PATIENTS = 100_000
BATCH = 5_000
# Synthetic names: common US first names, and last names built from syllables (about
# 28 000 of them: most match a few patients, the commonest about 70).
_FIRST_NAMES = (
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William "
    "Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa "
    "Daniel Nancy Matthew Betty Anthony Sandra Mark Ashley Donald Kimberly Steven "
    "Emily Paul Donna Andrew Michelle Joshua Carol Kenneth Amanda Kevin Melissa Brian "
    "Deborah George Stephanie Timothy Rebecca Ronald Sharon Jason Laura Edward Cynthia "
    "Jeffrey Kathleen Ryan Amy Jacob Angela Gary Shirley Nicholas Anna Eric Brenda "
    "Jonathan Pamela Stephen Emma Larry Nicole Justin Helen Scott Samantha Brandon "
    "Katherine Benjamin Christine Samuel Debra Gregory Rachel Alexander Carolyn Frank "
    "Janet Patrick Catherine Raymond Maria Jack Heather Dennis Diane Jerry Ruth"
)
FIRST = _FIRST_NAMES.split()
_SYLLABLES = (
    "al an ber bri cal car dan del den fer gar har hol kin lan ley lin mar mer "
    "mon nor pen ram ros san sel ston ter ton val war wel win"
)
SYLLABLES = _SYLLABLES.split()

TARGET = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "date_of_birth": dt.date(1985, 12, 10),
    "phone": "+16175550142",
}


def synthetic_patients(organization: Organization, locations: list[Location]) -> list[Patient]:
    rng = random.Random(2026)  # noqa: S311 - synthetic data, the same population every run
    epoch = dt.date(1940, 1, 1)
    patients = []
    for number in range(1, PATIENTS + 1):
        first = rng.choice(FIRST)
        last = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3)))).title()
        patients.append(
            Patient(
                organization=organization,
                location=locations[number % len(locations)],
                mrn=f"{organization.mrn_prefix}{number:07d}",
                first_name=first,
                last_name=last,
                first_name_key=name_key(first),  # bulk_create skips save(): keys set here
                last_name_key=name_key(last),
                date_of_birth=epoch + dt.timedelta(days=rng.randrange(65 * 365)),
                sex=rng.choice(("female", "male", "unknown")),
                phone=f"+1617{rng.randrange(2_000_000, 9_999_999):07d}",
            )
        )
    target = patients[PATIENTS // 2]
    for field, value in TARGET.items():
        setattr(target, field, value)
    target.first_name_key, target.last_name_key = "ada", "lovelace"
    return patients


@pytest.fixture(scope="module")
def searcher(django_db_setup, django_db_blocker):
    """100 000 patients at two locations; a nurse at Boston searches them."""
    with django_db_blocker.unblock():
        boston = make_location("boston", "Boston", "Boston", "MA")
        hartford = make_location("west-hartford", "West Hartford", "West Hartford", "CT")
        organization = boston.organization
        Patient.objects.bulk_create(
            synthetic_patients(organization, [boston, hartford]), batch_size=BATCH
        )
        MrnCounter.objects.create(organization=organization, last_number=PATIENTS)
        with connection.cursor() as cursor:
            # Statistics (and PostgreSQL's visibility map), as a running database has them.
            sqlite = connection.vendor == "sqlite"
            cursor.execute("ANALYZE" if sqlite else "VACUUM ANALYZE patients_patient")
        nurse = make_user("nora_nurse", Role.NURSE, boston, hartford)
        try:
            yield nurse
        finally:  # outside a transaction (VACUUM): the next module starts from nothing
            Patient.objects.all().delete()
            MrnCounter.objects.all().delete()
            User.objects.all().delete()
            SeriesProtocol.objects.all().delete()  # protects its location
            Location.objects.all().delete()
            Organization.objects.all().delete()


def search(user: User, text: str) -> tuple[int, list[Patient]]:
    """What the list view does: count the matches, fetch the first page."""
    page = Paginator(patients_for(user).search(parse(text)), 25).get_page(1)
    return page.paginator.count, list(page)


def uses_an_index(user: User, text: str) -> bool:
    plan = patients_for(user).search(parse(text)).explain()
    if connection.vendor == "sqlite":
        return "USING INDEX" in plan or "USING COVERING INDEX" in plan
    return "Index" in plan and "Seq Scan on patients_patient" not in plan


SEARCHES = {
    "name prefix": "Lovel",
    "first and last name": "Ada Lovelace",
    "last, first": "Lovelace, Ada",
    "date of birth": "1985-12-10",
    "mrn": f"TC{PATIENTS // 2 + 1:07d}",
    "phone": "(617) 555-0142",
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", SEARCHES)
def test_searching_100_000_patients(benchmark, searcher, kind):
    text = SEARCHES[kind]
    assert uses_an_index(searcher, text), patients_for(searcher).search(parse(text)).explain()
    count, patients = benchmark(search, searcher, text)
    assert any(patient.last_name == "Lovelace" for patient in patients)
    assert count < 100


@pytest.mark.django_db
def test_the_first_page_of_the_unsearched_list(benchmark, searcher):
    count, patients = benchmark(search, searcher, "")
    assert count == PATIENTS and len(patients) == 25
