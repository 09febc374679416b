"""The chart's outcomes section: trend, baseline, latest, change and status for each
instrument; nurses and prescribers only; a constant number of queries."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dendrite.clinics.models import Organization
from dendrite.conftest import signed_in
from dendrite.outcomes.chart import outcomes_section
from dendrite.outcomes.models import OutcomeSettings

from .outcome_data import add_infusion_visit, add_score

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 14, tzinfo=dt.UTC)


def day(n: int) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


@pytest.fixture
def treated(alice, nurse):
    """Alice: PHQ-9 22 then 18 before her first infusion (Mar 12), 9 after: a response."""
    add_score(alice, day(0), 22)
    add_score(alice, day(9), 18)
    for n in (10, 12, 14):
        add_infusion_visit(alice, day(n), nurse)
    add_score(alice, day(20), 9)
    add_score(alice, day(9), 12, instrument="gad-7")
    add_score(alice, day(20), 7, instrument="gad-7")
    return alice


def chart(user, patient):
    return signed_in(user).get(reverse("patients:chart", args=[patient.pk]))


def test_a_prescriber_sees_the_trend_baseline_latest_and_status(treated, prescriber):
    page = chart(prescriber, treated).content.decode()
    assert 'id="outcomes"' in page
    assert page.count('role="img"') >= 2  # a trend for PHQ-9 and GAD-7
    assert "Response: 50 % below baseline" in page
    assert (
        "The baseline is the last score before the first infusion: 18 on Wed, Mar 11, 2026." in page
    )
    assert "-9 points (50 % below baseline)" in page
    assert "Not yet a response: 41 % below baseline" in page  # GAD-7 12 → 7
    assert "<table" in page and '<th scope="row">Sun, Mar 22, 2026</th><td>9</td>' in page
    assert "First infusion on Thu, Mar 12, 2026; 3 infusions so far." in page


def test_the_svg_marks_bands_infusions_baseline_and_latest(treated, nurse):
    page = chart(nurse, treated).content.decode()
    phq9 = page[page.index('id="trend-phq-9-title"') :]
    phq9 = phq9[: phq9.index("</svg>")]
    assert phq9.count('class="infusion"') == 3
    assert phq9.count("<rect") == 5  # the five PHQ-9 bands
    assert phq9.count('class="baseline"') == 1 and phq9.count('class="latest"') == 1
    assert "1–4" not in page and "0–4: None or minimal depression" in page


def test_front_desk_sees_nothing_of_it(treated, front_desk):
    page = chart(front_desk, treated).content.decode()
    assert 'id="outcomes"' not in page
    assert 'href="#outcomes"' not in page  # not even in the chart's contents
    assert "baseline" not in page.lower()
    assert outcomes_section(treated, front_desk) == {}


def test_a_patient_without_a_score_before_the_first_infusion(alice, nurse, prescriber):
    add_infusion_visit(alice, day(10), nurse)
    add_score(alice, day(20), 9)
    page = chart(prescriber, alice).content.decode()
    assert "No baseline: no score before the first infusion." in page
    assert "Not measured yet" in page


def test_a_patient_without_scores(alice, prescriber):
    page = chart(prescriber, alice).content.decode()
    assert "No scored questionnaires yet." in page


def test_the_clinic_thresholds_are_used(treated, prescriber):
    OutcomeSettings.objects.create(organization=Organization.objects.get(), response_percent=60)
    page = chart(prescriber, treated).content.decode()
    assert "Not yet a response: 50 % below baseline" in page


def section_queries(patient, viewer) -> int:
    with CaptureQueriesContext(connection) as queries:
        context = outcomes_section(patient, viewer)
        assert context["outcomes"]
    return len(queries)


def fill(patient, nurse, count: int, first_infusion: int) -> None:
    add_score(patient, day(0), 20)
    add_infusion_visit(patient, day(first_infusion), nurse)
    for n in range(1, count):
        add_score(patient, day(1) + dt.timedelta(hours=6 * n), n % 28, instrument="phq-9")
        add_score(patient, day(1) + dt.timedelta(hours=6 * n), n % 22, instrument="gad-7")


def test_the_section_reads_a_constant_number_of_queries(alice, bob, nurse, prescriber):
    fill(alice, nurse, 5, first_infusion=1)
    fill(bob, nurse, 200, first_infusion=2)
    small = section_queries(alice, prescriber)
    large = section_queries(bob, prescriber)
    assert small == large <= 3
    page = chart(prescriber, bob)
    assert page.status_code == 200
    assert len(re.findall(r'<tr><th scope="row">', page.content.decode())) == 399


def test_an_infusion_counts_from_its_start_and_one_held_at_the_chair_not(alice, nurse, prescriber):
    from dendrite.demo.infusions import BASELINE
    from dendrite.infusions import actions as chair
    from dendrite.infusions.models import Infusion
    from dendrite.outcomes.chart import infusion_times
    from dendrite.scheduling.tests.conftest import clear_for_infusions

    clear_for_infusions(alice, nurse)

    given, held = (
        add_infusion_visit(alice, day(10), nurse),
        add_infusion_visit(alice, day(12), nurse),
    )
    chair.sign_order(
        alice, by=prescriber, mg_per_kg=D("0.5"), minutes=40, appointments=[given, held]
    )
    check = {
        "identifiers": ["name", "date_of_birth"], "fasting_hours": D(6),
        "escort_name": "Jamie Rivera", "escort_phone": "+16175550188",
        "weight_kg": D("79.8"), "weight_entered": "176 lb", "pregnancy": "not_applicable",
        "questionnaires_reviewed": True,
    } | BASELINE  # fmt: skip
    for visit in (given, held):
        chair.record_check(visit, by=nurse, data=check)
    started = day(10) + dt.timedelta(minutes=25)
    Infusion.objects.filter(appointment=given).update(
        verified_at=started, verified_by=prescriber, started_at=started
    )
    assert infusion_times(alice) == [started]


def test_a_clinic_admin_edits_the_thresholds_in_the_back_office(clinic_admin, boston):
    other = Organization.objects.create(name="Another clinic", slug="other", mrn_prefix="AC")
    client = signed_in(clinic_admin)
    url = reverse("admin:outcomes_outcomesettings_add")
    form = client.get(url).context["adminform"].form
    assert list(form.fields["organization"].queryset) == [boston.organization]
    assert other not in form.fields["organization"].queryset
    data = {"organization": boston.organization.pk, "response_percent": 50,
            "remission_below": 5, "mcid_points": 5, "booster_rise_points": 4,
            "booster_back_to": 10, "booster_in_a_row": 2, "booster_due_days": 3}  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert OutcomeSettings.objects.get().booster_rise_points == 4
