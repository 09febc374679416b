"""The summaries give the live figures: every figure of the page, for several scopes, over
the fixed data sets of test_dashboard.py and test_relapse_chairs.py together; a refresh
is idempotent; the page says when it was refreshed; the refresh is a scheduled job."""

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dendrite.conftest import make_patient, signed_in
from dendrite.dashboard import actions, queries, summaries
from dendrite.dashboard.models import (
    ChairMonth,
    DiaryMonth,
    LeadSummary,
    OperationMonth,
    PatientSummary,
    Refresh,
)
from dendrite.dashboard.tests.test_dashboard import clinic, phq9
from dendrite.dashboard.tests.test_relapse_chairs import chairs, cohort
from dendrite.outcomes.models import Condition, OutcomeSettings
from dendrite.patients.models import Diagnosis
from dendrite.recovery.models import RecoverySettings
from dendrite.scheduling.models import Kind, Status
from dendrite.scheduling.tests.conftest import make_appointment


@pytest.fixture(autouse=True)
def frozen(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 12, 15, 15, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def network(boston, hartford, prescriber, nurse) -> None:
    """Both fixed data sets, a PHQ-9 trajectory, diagnoses of several conditions, and a
    patient at West Hartford with a series of their own."""
    people = clinic(boston, hartford, prescriber, nurse)
    cohort(boston, nurse)
    chairs(boston, nurse)
    Diagnosis.objects.create(patient=people["cat"], code="f32.1", description="Depression",
                             recorded_by=prescriber)  # fmt: skip
    Diagnosis.objects.create(patient=people["eve"], code="F10.20", description="Alcohol",
                             recorded_by=prescriber)  # fmt: skip
    west = make_patient(hartford, "Wes", "Hartford")
    first = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
    make_appointment(west, Kind.INFUSION, first, nurse, status=Status.DONE)
    make_appointment(west, Kind.INFUSION, first + dt.timedelta(days=3), nurse,
                     status=Status.NO_SHOW)  # fmt: skip
    phq9(west, first - dt.timedelta(days=2), 22)
    phq9(west, first + dt.timedelta(days=10), 6)


def month(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.strptime(text, "%Y-%m"))


def next_month(start: dt.datetime) -> dt.datetime:
    return timezone.make_aware((start.replace(tzinfo=None) + dt.timedelta(days=32)).replace(day=1))


def page(found: summaries.Live) -> dict[str, Any]:
    """Every figure of the page."""
    return {
        "funnel": found.funnel(),
        "wait": found.first_contact_median(),
        "operations": found.operations(),
        "outcomes": found.outcomes(),
        "drinking": found.substance_use(),
        "relapse": found.relapse(),
        "chairs": found.chair_use(),
    }


def scopes(boston, hartford) -> list[queries.Scope]:
    both = (boston.pk, hartford.pk)
    year = (month("2025-12"), next_month(month("2026-12")))
    found = [queries.Scope((pk,), *year) for pk in both]
    found.append(queries.Scope(both, *year))
    found += [queries.Scope(both, *year, condition) for condition in Condition.values]
    for cohort_month in ("2026-01", "2026-11", "2025-12"):
        start = month(cohort_month)
        found.append(queries.Scope(both, *year, "", start, next_month(start)))
    found.append(queries.Scope(both, month("2026-01"), month("2026-03"), "depression"))
    found.append(queries.Scope((boston.pk,), month("2026-11"), month("2026-12")))
    found.append(queries.Scope(both, month("2026-01"), month("2026-02")))
    return found


def test_every_figure_from_the_summaries_is_the_live_figure(network, boston, hartford, source):
    source.auto = False
    OutcomeSettings.objects.create(organization_id=boston.organization_id, response_percent=40,
                                   remission_below=9)  # fmt: skip
    actions.refresh_dashboards()
    checked = 0
    for scope in scopes(boston, hartford):
        found = summaries.source(scope)
        assert isinstance(found, summaries.Summary), scope
        live = page(summaries.Live(scope))
        assert page(found) == live, scope
        checked += sum(step.count for step in live["funnel"]) + live["operations"].appointments
    assert checked > 0


def test_the_hand_counts_hold_from_the_summaries(network, boston, source):
    """A few of the hand-counted figures, read from the summaries alone."""
    source.auto = False
    actions.refresh_dashboards()
    november = summaries.source(queries.Scope((boston.pk,), month("2026-11"), month("2026-12")))
    assert isinstance(november, summaries.Summary)
    assert [step.count for step in november.funnel()] == [5, 4, 3, 2, 1]
    assert november.first_contact_median() == (dt.timedelta(hours=7), 4)
    operations = november.operations()
    assert (operations.appointments, operations.no_shows, operations.infusions,
            operations.alerts, operations.adverse_events) == (10, 1, 4, 1, 2)  # fmt: skip
    january = summaries.source(queries.Scope((boston.pk,), month("2026-01"), month("2026-02")))
    assert [(r.with_data, r.relapsed) for r in january.relapse()] == [(3, 1), (3, 2), (4, 2)]
    monday = january.chair_use().minutes[0]
    assert monday[9:12] == [30, 120, 50]


def counts() -> list[int]:
    models = (PatientSummary, LeadSummary, OperationMonth, ChairMonth, DiaryMonth, Refresh)
    return [model.objects.count() for model in models]  # type: ignore[attr-defined]


def test_a_refresh_is_idempotent_and_replaces_everything(network, boston, hartford, nurse, source):
    source.auto = False
    actions.refresh_dashboards()
    first, scope = counts(), scopes(boston, hartford)[2]
    figures = page(summaries.source(scope))
    call_command("refresh_dashboard")
    assert counts() == first and page(summaries.source(scope)) == figures
    assert all(first), first
    # New records show only after the next refresh.
    phq9(make_patient(boston, "Late", "Comer"), dt.datetime(2026, 12, 1, tzinfo=dt.UTC), 3)
    late = make_patient(boston, "Later", "Comer")
    make_appointment(late, Kind.FOLLOW_UP, dt.datetime(2026, 12, 2, 15, tzinfo=dt.UTC), nurse,
                     status=Status.NO_SHOW)  # fmt: skip
    assert page(summaries.source(scope)) == figures
    actions.refresh_dashboards()
    assert page(summaries.source(scope)) == page(summaries.Live(scope)) != figures


def test_figures_are_live_before_a_refresh_or_for_part_months(network, boston, source):
    source.auto = False
    whole = queries.Scope((boston.pk,), month("2026-11"), month("2026-12"))
    assert type(summaries.source(whole)) is summaries.Live
    actions.refresh_dashboards()
    assert isinstance(summaries.source(whole), summaries.Summary)
    part = queries.Scope((boston.pk,), month("2026-11") + dt.timedelta(days=3), month("2026-12"))
    assert type(summaries.source(part)) is summaries.Live
    assert type(summaries.source(queries.Scope((), whole.start, whole.end))) is summaries.Live
    with timezone.override("Europe/Madrid"):  # months of another zone
        assert type(summaries.source(whole)) is summaries.Live


def test_relapse_is_live_when_the_definition_changed_since_the_refresh(network, boston, source):
    source.auto = False
    actions.refresh_dashboards()
    RecoverySettings.objects.create(organization_id=boston.organization_id, heavy_days=2)
    scope = queries.Scope((boston.pk,), month("2026-01"), month("2026-02"))
    found = summaries.source(scope)
    assert isinstance(found, summaries.Summary)
    assert found.relapse() == queries.relapse(scope)
    assert found.relapse()[0].relapsed == 2  # Ada and Cy under 2 heavy days within 14


def test_the_page_and_the_lists_say_when_the_figures_were_worked_out(network, prescriber, source):
    source.auto = False
    client = signed_in(prescriber)
    november = {"from_month": "2026-11", "to_month": "2026-11"}
    page_before = client.get(reverse("dashboard:dashboard"), november).content.decode()
    assert "Figures computed now" in page_before
    actions.refresh_dashboards()
    text = client.get(reverse("dashboard:dashboard"), november).content.decode()
    assert "Figures as of Tue, Dec 15, 2026, 10:00 AM (worked out again every 15 minutes)" in text
    behind = client.get(reverse("dashboard:behind", args=["completed"]), november)
    assert "This list is current" in behind.content.decode()
    assert "Eve Example" in behind.content.decode()


def test_the_refresh_is_a_scheduled_job() -> None:
    job = settings.SCHEDULED_JOBS["refresh_dashboard"]
    assert job["command"] == ["refresh_dashboard"]
    assert job["cron"] == f"*/{settings.DASHBOARD_REFRESH_MINUTES} * * * *"
