"""Medical record numbers: the organisation's prefix and a sequence, never issued twice."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from dendrite.clinics.models import Organization
from dendrite.conftest import make_location, make_patient
from dendrite.patients.actions import allocate_mrn
from dendrite.patients.models import MrnCounter, Patient


@pytest.mark.django_db
def test_mrns_are_the_prefix_and_a_zero_padded_sequence(boston, hartford):
    numbers = [make_patient(location, "A", "B").mrn for location in (boston, hartford, boston)]
    assert numbers == ["TC0000001", "TC0000002", "TC0000003"]


@pytest.mark.django_db
def test_each_organisation_counts_on_its_own(boston):
    other = Organization.objects.create(name="Other Clinic", slug="other", mrn_prefix="OC")
    elsewhere = make_location("elsewhere", "Elsewhere", "Providence", "RI")
    elsewhere.organization = other
    elsewhere.save()
    assert make_patient(boston, "A", "B").mrn == "TC0000001"
    assert make_patient(elsewhere, "C", "D").mrn == "OC0000001"


@pytest.mark.django_db
def test_a_failed_registration_gives_its_number_back(boston):
    with pytest.raises(ValidationError):
        make_patient(boston, "", "Nameless")  # a legal first name is required
    assert not Patient.objects.exists()
    assert make_patient(boston, "Ada", "Example").mrn == "TC0000001"


@pytest.mark.django_db
def test_the_database_refuses_a_second_patient_with_the_same_mrn(boston):
    first = make_patient(boston, "A", "B")
    twin = Patient(
        organization=first.organization,
        location=boston,
        mrn=first.mrn,
        first_name="C",
        last_name="D",
        date_of_birth=first.date_of_birth,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_draw_the_same_mrn(boston):
    # Eight registrations start at the same moment, each on its own database connection
    # (a real concurrent transaction), before the organisation's counter row even exists.
    count = 8
    start = threading.Barrier(count)
    failures: list[BaseException] = []

    def register(number: int) -> None:
        try:
            start.wait()
            make_patient(boston, f"Person{number}", "Example")
        except BaseException as failure:  # reported by the assertion below
            failures.append(failure)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    mrns = sorted(Patient.objects.values_list("mrn", flat=True))
    assert mrns == [f"TC{n:07d}" for n in range(1, count + 1)]
    assert MrnCounter.objects.get().last_number == count


@pytest.mark.django_db(transaction=True)
def test_a_second_transaction_waits_for_the_first_to_finish_with_the_counter(boston):
    # The first transaction holds a number but has not committed; the second must
    # neither draw the same number nor skip ahead of a number that is given back.
    holding = threading.Event()
    release = threading.Event()
    drawn: dict[str, str] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                drawn["first"] = allocate_mrn(boston.organization)
                holding.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def second() -> None:
        try:
            holding.wait(timeout=30)
            with transaction.atomic():
                drawn["second"] = allocate_mrn(boston.organization)
        finally:
            connection.close()

    one, two = threading.Thread(target=first), threading.Thread(target=second)
    one.start()
    two.start()
    two.join(timeout=1)
    assert "second" not in drawn  # still waiting for the counter
    release.set()
    one.join(timeout=30)
    two.join(timeout=30)
    assert (drawn["first"], drawn["second"]) == ("TC0000001", "TC0000002")
