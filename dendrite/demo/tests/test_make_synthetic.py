"""make_synthetic: a small synthetic network, refused on real data, reproducible, with
plausible courses, and the staff pages render on it. Sizes stay small (a few hundred
patients); the 100,000-patient run and its time are in docs/benchmarks.md."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from dendrite.accounts.models import Role
from dendrite.clinics.models import Location, Organization
from dendrite.conftest import make_patient, make_user, signed_in
from dendrite.demo.synthetic import network
from dendrite.demo.synthetic.build import ORDER
from dendrite.patients.models import MrnCounter, Patient, QuestionnaireResponse
from dendrite.recovery import metrics
from dendrite.recovery.models import DrinkingDay
from dendrite.scheduling.models import Appointment, Series

TODAY = dt.date(2026, 11, 30)


def make(patients: int = 200, seed: int = 17) -> None:
    call_command(
        "make_synthetic", patients=patients, seed=seed, today=TODAY, no_progress=True,
        stdout=io.StringIO(),
    )  # fmt: skip


def content_hash() -> str:
    """Every row of every table the command writes, in id order."""
    digest = hashlib.sha256()
    for model in [*network.MODELS, *ORDER, MrnCounter]:
        names = [f.attname for f in model._meta.concrete_fields]
        for row in model.objects.order_by("pk").values_list(*names):
            digest.update(repr(row).encode())
    return digest.hexdigest()


class Rollback(Exception):
    pass


def hash_of_a_run(seed: int) -> str:
    """Run in a transaction rolled back after: the next run starts from the same empty
    database, as a fresh one would."""
    digest = ""
    try:
        with transaction.atomic():
            make(patients=60, seed=seed)
            digest = content_hash()
            raise Rollback
    except Rollback:
        pass
    return digest


@pytest.mark.slow
@pytest.mark.django_db
def test_it_builds_a_clearly_synthetic_network() -> None:
    make()
    organization = Organization.objects.get(slug="synthetic-network")
    assert organization.name == "Synthetic Network"
    patients = Patient.objects.all()
    assert patients.count() == 200
    assert all(p.mrn.startswith("SYN-") for p in patients)
    assert all(p.email.endswith("@example.invalid") for p in patients)
    assert all(loc.name.endswith("(synthetic)") for loc in Location.objects.all())
    assert MrnCounter.objects.get(organization=organization).last_number == 200
    # Every kind of record is there.
    for model in ORDER:
        assert model.objects.exists(), model


@pytest.mark.slow
@pytest.mark.django_db
def test_scores_are_the_scoring_engines() -> None:
    """(Visits cannot overlap: the database refuses it, with exclusion constraints on
    PostgreSQL and triggers on SQLite, so the run itself is the check.)"""
    from dendrite.instruments import scoring

    make()
    responses = QuestionnaireResponse.objects.all()
    assert responses.count() > 1000
    for response in responses[:500]:
        result = scoring.score(response.instrument, response.answers)
        assert (response.total, response.band, response.flags) == (
            result.total, result.band, list(result.flags)
        )  # fmt: skip


@pytest.mark.slow
@pytest.mark.django_db
def test_it_refuses_a_database_with_real_patients(boston: Location) -> None:
    make_patient(boston, "Alice", "Real")
    with pytest.raises(CommandError, match="not synthetic"):
        make(patients=5)
    assert not Organization.objects.filter(slug="synthetic-network").exists()
    assert Patient.objects.count() == 1


@pytest.mark.slow
@pytest.mark.django_db
def test_it_refuses_to_run_twice() -> None:
    make(patients=5)
    with pytest.raises(CommandError, match="already holds"):
        make(patients=5)
    assert Patient.objects.count() == 5


@pytest.mark.slow
@pytest.mark.django_db
def test_the_same_seed_gives_the_same_rows_and_another_seed_others() -> None:
    first, again, other = hash_of_a_run(5), hash_of_a_run(5), hash_of_a_run(6)
    assert first == again
    assert first != other


@pytest.mark.slow
@pytest.mark.django_db
def test_courses_are_plausible() -> None:
    make(patients=400)
    patients = Patient.objects.count()
    series = Series.objects.count()
    assert 0.75 <= series / patients <= 0.98  # most start a series after the consultation
    dropped = Series.objects.filter(appointments__status=Appointment.Status.CANCELLED).distinct()
    assert 0.03 <= dropped.count() / series <= 0.2
    # Response (a PHQ-9 drop of half or more, CLINICAL.md §2) after six infusions.
    responded = completed = 0
    for series_row in Series.objects.all():
        sixth = series_row.appointments.filter(
            series_number=6, status=Appointment.Status.DONE
        ).first()
        if sixth is None:
            continue
        totals = list(
            QuestionnaireResponse.objects.filter(patient_id=series_row.patient_id,
                                                 instrument="phq-9")
            .order_by("authored_at").values_list("authored_at", "total")
        )  # fmt: skip
        if not totals:
            continue
        after = [total for at, total in totals if at > sixth.starts_at]
        if not after:
            continue
        completed += 1
        responded += after[0] <= totals[0][1] / 2
    assert completed > 50
    assert 0.4 <= responded / completed <= 0.85
    # Relapse (three heavy days in two weeks) among the alcohol cohort's diaries.
    relapsed = with_diary = 0
    for patient in Patient.objects.filter(drinking_days__source="diary").distinct():
        days = {
            d.day: d.drinks for d in DrinkingDay.objects.filter(patient=patient, source="diary")
        }
        with_diary += 1
        threshold = metrics.heavy_threshold(patient.sex)
        relapsed += bool(metrics.relapses(days, threshold, metrics.Definition()))
    assert with_diary > 20
    assert 0.2 <= relapsed / with_diary <= 0.75


@pytest.mark.slow
@pytest.mark.django_db
def test_the_dashboard_and_a_chart_render_on_it() -> None:
    make()
    locations = list(Location.objects.all())
    admin = make_user("synthetic_admin", Role.CLINIC_ADMIN, *locations)
    prescriber = make_user("synthetic_prescriber", Role.PRESCRIBER, *locations)
    response = signed_in(admin).get(reverse("dashboard:dashboard"))
    assert response.status_code == 200
    patient = Patient.objects.filter(series__isnull=False).order_by("pk").first()
    assert patient is not None
    chart = signed_in(prescriber).get(reverse("patients:chart", args=[patient.pk]))
    assert chart.status_code == 200
    assert patient.mrn in chart.content.decode()
