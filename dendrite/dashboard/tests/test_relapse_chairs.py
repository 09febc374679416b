"""Relapse after the first infusion and chair use by weekday and hour, against small data
sets counted by hand (docstrings). Times are in the clinic's zone (America/New_York)."""

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.conftest import make_patient, query_count, signed_in
from dendrite.recovery.models import DrinkingDay, RecoverySettings
from dendrite.scheduling.models import Kind, Status
from dendrite.scheduling.tests.conftest import make_appointment

JANUARY = {"from_month": "2026-01", "to_month": "2026-01"}
NY = dt.timezone(dt.timedelta(hours=-5))  # EST, for the January dates below


@pytest.fixture(autouse=True)
def frozen(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 12, 15, 15, 0, tzinfo=dt.UTC), tick=False)


def diary(patient, *entries: tuple[dt.date, int]) -> None:
    for day, drinks in entries:
        DrinkingDay.objects.create(patient=patient, day=day, drinks=Decimal(drinks),
                                   source="diary")  # fmt: skip


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


def cohort(boston, nurse, prefix: str = "", shift: int = 0) -> None:
    """First infusions on 5 January 2026 (day 0), from 12:00 local. Clinic definition (the
    defaults): 3 heavy days within 14 days; heavy is 4+ drinks for women, 5+ for men.
    - Ada (F): heavy on 8, 10, 15 Jan: relapse on day 10.
    - Bo (M): heavy 3 and 4 Jan (before day 0: not counted), heavy 6 Jan; 4 drinks on
      7 Jan (not heavy for a man); heavy 20 and 25 Feb and 1 Mar: relapse on day 55.
    - Cy (F): heavy 10 Jan, 20 Jan, 1 Feb (never 3 within 14 days), 0 on 5 Jan.
    - Di (F): one diary day, 15 April (day 100), 0 drinks.
    - Ed (F): first infusion in December 2025, heavy every day after: not in the cohort.
    By hand: within 30 days 3 with diary days (Ada, Bo, Cy), 1 relapsed (33 %); 90 days
    3, 2 (67 %); 180 days 4, 2 (50 %)."""
    first = dt.datetime(2026, 1, 5, 12, 0, tzinfo=NY) + dt.timedelta(days=shift)
    people = {}
    cast = (("Ada", "female"), ("Bo", "male"), ("Cy", "female"), ("Di", "female"),
            ("Ed", "female"))  # fmt: skip
    for hour, (name, sex) in enumerate(cast):
        patient = make_patient(boston, name, prefix + "Relapse", sex=sex)
        start = first + dt.timedelta(hours=2 * hour) - dt.timedelta(days=30 * (name == "Ed"))
        make_appointment(patient, Kind.INFUSION, start, nurse, status=Status.DONE)
        people[name] = patient
    diary(people["Ada"], (d(1, 8), 4), (d(1, 10), 6), (d(1, 15), 4))
    diary(people["Bo"], (d(1, 3), 8), (d(1, 4), 8), (d(1, 6), 5), (d(1, 7), 4),
          (d(2, 20), 5), (d(2, 25), 6), (d(3, 1), 5))  # fmt: skip
    diary(people["Cy"], (d(1, 5), 0), (d(1, 10), 4), (d(1, 20), 4), (d(2, 1), 4))
    diary(people["Di"], (d(4, 15), 0))
    diary(people["Ed"], *((d(12, 6 + n, 2025), 9) for n in range(10)))


def relapse_rows(client) -> list[list[str]]:
    response = client.get(reverse("dashboard:csv", args=["relapse"]), JANUARY)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_relapse_matches_the_hand_count(boston, nurse, prescriber):
    cohort(boston, nurse)
    assert relapse_rows(signed_in(prescriber)) == [
        ["Within days of the first infusion", "Patients with diary days", "Relapsed",
         "Relapse rate"],
        ["30", "3", "1", "33 %"],
        ["90", "3", "2", "67 %"],
        ["180", "4", "2", "50 %"],
    ]  # fmt: skip


def test_relapse_follows_the_clinic_definition(boston, nurse, prescriber):
    """2 heavy days within 14: Cy relapses on 20 Jan; Bo's heavy days before the first
    infusion still do not count, so within 30 days only Ada and Cy."""
    cohort(boston, nurse)
    RecoverySettings.objects.create(organization_id=boston.organization_id, heavy_days=2)
    rows = relapse_rows(signed_in(prescriber))
    assert rows[1] == ["30", "3", "2", "67 %"]


def test_the_patients_behind_a_relapse_figure_are_listed_and_audited(boston, nurse, prescriber):
    cohort(boston, nurse)
    client = signed_in(prescriber)
    page = client.get(reverse("dashboard:behind", args=["relapse90_relapsed"]), JANUARY)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Ada Relapse" in text and "Bo Relapse" in text and "Cy Relapse" not in text
    event = AuditEvent.objects.filter(action="dashboard.figure.list").latest("id")
    assert event.detail["figure"] == "relapse90_relapsed" and len(event.detail["ids"]) == 2
    dashboard = client.get(reverse("dashboard:dashboard"), JANUARY).content.decode()
    assert "3 heavy drinking days within 14 days" in dashboard
    for bad in ("relapse45_data", "relapse30_other", "relapse"):
        assert client.get(reverse("dashboard:behind", args=[bad])).status_code == 404


def chairs(boston, nurse, prefix: str = "", shift: int = 0) -> None:
    """Infusion and booster visits hold a chair 100 minutes. By hand (local time):
    - Monday 5 Jan 09:30: 30 min in 09:00, 60 in 10:00, 10 in 11:00;
    - Monday 12 Jan 10:00 (a no-show on 19 Jan is not counted): 60 in 10:00, 40 in 11:00;
    - Wednesday 7 Jan 14:00, a booster: 60 in 14:00, 40 in 15:00;
    - not counted: a cancelled infusion Tuesday 6 Jan, a consultation, an infusion in
      February. Monday: 30, 120, 50; Wednesday: 60, 40."""
    patient = make_patient(boston, "Chair", prefix + "User")

    def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
        when = dt.datetime(2026, month, day, hour, minute, tzinfo=NY)
        return when + dt.timedelta(days=shift)

    make_appointment(patient, Kind.INFUSION, at(1, 5, 9, 30), nurse, status=Status.DONE)
    make_appointment(patient, Kind.INFUSION, at(1, 12, 10), nurse, status=Status.BOOKED)
    make_appointment(patient, Kind.INFUSION, at(1, 19, 10), nurse, status=Status.NO_SHOW)
    make_appointment(patient, Kind.BOOSTER, at(1, 7, 14), nurse, status=Status.DONE)
    make_appointment(patient, Kind.INFUSION, at(1, 6, 10), nurse, status=Status.CANCELLED)
    make_appointment(patient, Kind.CONSULTATION, at(1, 8, 10), nurse, status=Status.DONE)
    make_appointment(patient, Kind.INFUSION, at(2, 2, 10), nurse, status=Status.DONE)


def test_chair_use_matches_the_hand_count(boston, nurse, clinic_admin):
    chairs(boston, nurse)
    client = signed_in(clinic_admin)
    response = client.get(reverse("dashboard:csv", args=["chair-use"]), JANUARY)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Weekday", "00:00"] and len(rows[0]) == 25
    by_day = {row[0]: [int(n) for n in row[1:]] for row in rows[1:]}
    assert list(by_day) == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                            "Saturday", "Sunday"]  # fmt: skip
    monday = [0] * 24
    monday[9:12] = [30, 120, 50]
    wednesday = [0] * 24
    wednesday[14:16] = [60, 40]
    assert by_day["Monday"] == monday and by_day["Wednesday"] == wednesday
    assert all(sum(by_day[day]) == 0 for day in by_day if day not in {"Monday", "Wednesday"})
    page = client.get(reverse("dashboard:dashboard"), JANUARY).content.decode()
    assert "Chair-minutes by weekday and hour" in page and ">120</td>" in page


def test_the_query_count_does_not_grow_with_relapse_and_chair_data(
    boston, nurse, prescriber, source
):
    client = signed_in(prescriber)
    source.auto = False

    def pages() -> None:
        client.get(reverse("dashboard:dashboard"), JANUARY)
        client.get(reverse("dashboard:behind", args=["relapse30_data"]), JANUARY)
        client.get(reverse("dashboard:csv", args=["chair-use"]), JANUARY)

    cohort(boston, nurse)
    chairs(boston, nurse)
    source.refresh()
    few = query_count(pages)
    for run, prefix in enumerate(("Second ", "Third "), start=1):
        cohort(boston, nurse, prefix, shift=-run)  # other days: one nurse, one chair
        chairs(boston, nurse, prefix, shift=35 * run)
    source.refresh()
    assert query_count(pages) == few


def test_chair_time_past_midnight_counts_up_to_midnight(boston, nurse, clinic_admin):
    """Friday 9 Jan 23:30 for 100 minutes: 30 minutes in Friday's 23:00, none on Saturday."""
    patient = make_patient(boston, "Late", "Chair")
    late = dt.datetime(2026, 1, 9, 23, 30, tzinfo=NY)
    make_appointment(patient, Kind.INFUSION, late, nurse, status=Status.DONE)
    response = signed_in(clinic_admin).get(reverse("dashboard:csv", args=["chair-use"]), JANUARY)
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(response.content.decode()))}
    assert rows["Friday"][23] == "30" and sum(int(n) for n in rows["Friday"]) == 30
    assert sum(int(n) for n in rows["Saturday"]) == 0


@pytest.mark.parametrize("heavy_days", [3, 2, 1])
def test_the_relapse_figures_agree_with_the_lists_behind_them(boston, nurse, heavy_days):
    """The figures (set-based: a window function over the heavy days) and the lists behind
    them (a correlated count per diary day) are two ways to the same rules."""
    from django.utils import timezone

    from dendrite.dashboard import queries

    cohort(boston, nurse)
    RecoverySettings.objects.create(organization_id=boston.organization_id,
                                    heavy_days=heavy_days)  # fmt: skip
    start = timezone.make_aware(dt.datetime(2026, 1, 1))
    scope = queries.Scope((boston.pk,), start, timezone.make_aware(dt.datetime(2026, 2, 1)))
    definition = queries.relapse_definition(scope)
    rows = queries.relapse(scope)
    assert sum(row.relapsed for row in rows) > 0
    for row in rows:
        listed = queries.relapsing(scope, definition)
        assert listed.filter(queries.relapse_q(row.days, "data")).count() == row.with_data
        assert listed.filter(queries.relapse_q(row.days, "relapsed")).count() == row.relapsed
