"""The dashboard against a small data set whose figures are counted by hand.

Boston, November 2026 (each lead arrived on the 2nd):
- Ann: an inquiry, nothing more.
- Ben: finished the self-screening; first contact 2 hours after arriving.
- Cat: triaged (so screened); patient; consultation done; first contact after 4 hours;
  a follow-up cancelled late and one cancelled in good time.
- Dan: patient; consultation done; a series of 2, the first infusion given, the second
  a no-show (series started, not completed); first contact after 10 hours.
- Eve: patient with PTSD (F43.10); consultation done; both infusions of her series and
  a booster given (series completed); first contact after 1 day.
Not counted: Fay (West Hartford) and Gus (Boston, October).

By hand: funnel 5 / 4 / 3 / 2 / 1, one stops before each stage; median first contact of
2, 4, 10 and 24 hours = 7 hours. Appointments 10: 1 no-show (10 %), 1 late cancel (10 %),
1 booster; 4 infusions given (Dan 1, Eve 3), 1 vitals alert (25.0 per 100), 2 adverse
events (50.0 per 100).
"""

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.conftest import make_patient, query_count, signed_in
from dendrite.infusions import models as infusions
from dendrite.leads.models import Lead, LeadEvent
from dendrite.outcomes.models import OutcomeSettings
from dendrite.patients.models import Diagnosis, QuestionnaireResponse
from dendrite.recovery.models import DrinkingDay
from dendrite.scheduling.models import Kind, Series, SeriesProtocol, Status
from dendrite.scheduling.tests.conftest import make_appointment, type_at
from dendrite.screening.models import ScreeningSession

NOW = dt.datetime(2026, 12, 15, 15, 0, tzinfo=dt.UTC)
ARRIVED = dt.datetime(2026, 11, 2, 14, 0, tzinfo=dt.UTC)
NOVEMBER = {"from_month": "2026-11", "to_month": "2026-11"}


@pytest.fixture(autouse=True)
def frozen(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


def lead(location, name: str, *, at=ARRIVED, patient=None, contact_hours=None, **extra):
    row = Lead.objects.create(source="inquiry", location=location, name=name, patient=patient,
                              email="someone@example.org", **extra)  # fmt: skip
    Lead.objects.filter(pk=row.pk).update(created_at=at)
    if contact_hours is not None:
        LeadEvent.objects.create(lead=row, kind=LeadEvent.Kind.CONTACT, by=extra_staff[0],
                                 at=at + dt.timedelta(hours=contact_hours))  # fmt: skip
        LeadEvent.objects.create(lead=row, kind=LeadEvent.Kind.CONTACT, by=extra_staff[0],
                                 at=at + dt.timedelta(hours=contact_hours + 30))  # fmt: skip
    return row


extra_staff: list[Any] = []


def infusion(appointment, prescriber, order) -> infusions.Infusion:
    return infusions.Infusion.objects.create(
        appointment=appointment, patient=appointment.patient, location=appointment.location,
        order=order, mg_per_kg=Decimal("0.5"), minutes=40, checked_by=prescriber,
        checked_at=appointment.starts_at, escort_name="Sam", escort_phone="+16175550199",
        weight_kg=Decimal(80), weight_entered="80 kg", pregnancy="not_pregnant",
        started_at=appointment.starts_at, verified_at=appointment.starts_at, verified_by=prescriber,
    )  # fmt: skip


def series_for(patient, prescriber) -> Series:
    protocol, _ = SeriesProtocol.objects.get_or_create(
        location=patient.location, name="Induction of two",
        defaults={"appointment_type": type_at(patient.location, Kind.INFUSION), "infusions": 2,
                  "min_gap_hours": 24, "span_days": 21},
    )  # fmt: skip
    return Series.objects.create(patient=patient, location=patient.location, protocol=protocol,
                                 name="Induction", infusions=2, min_gap_hours=24, span_days=21,
                                 booked_by=prescriber)  # fmt: skip


def clinic(
    boston, hartford, prescriber, nurse, *, prefix: str = "", run: int = 0
) -> dict[str, Any]:
    extra_staff[:] = [prescriber]
    day = dt.datetime(2026, 11, 10, 15, 0, tzinfo=dt.UTC) + dt.timedelta(hours=4 * run)
    lead(boston, prefix + "Ann Example", triage_outcome="incomplete")  # not screened
    ben = lead(boston, prefix + "Ben Example", contact_hours=2)
    ScreeningSession.objects.create(token_hash=f"{run}" + "b" * 60, lead=ben, expires_at=NOW,
                                    finished_at=ARRIVED, outcome="likely-candidate")  # fmt: skip
    cat, dan, eve = (make_patient(boston, n, prefix + "Example") for n in ("Cat", "Dan", "Eve"))
    lead(boston, prefix + "Cat Example", patient=cat, contact_hours=4,
         triage_outcome="likely-candidate")  # fmt: skip
    lead(boston, prefix + "Dan Example", patient=dan, contact_hours=10)
    lead(boston, prefix + "Eve Example", patient=eve, contact_hours=24)
    Diagnosis.objects.create(patient=eve, code="F43.10", description="PTSD", recorded_by=prescriber)
    for hour, patient in enumerate((cat, dan, eve)):
        make_appointment(patient, Kind.CONSULTATION, day + dt.timedelta(hours=hour), prescriber,
                         status=Status.DONE)  # fmt: skip
    make_appointment(cat, Kind.FOLLOW_UP, day + dt.timedelta(days=1), prescriber,
                     status=Status.CANCELLED, late_cancel=True)  # fmt: skip
    make_appointment(cat, Kind.FOLLOW_UP, day + dt.timedelta(days=2), prescriber,
                     status=Status.CANCELLED)  # fmt: skip
    given = []
    runs = ((dan, [Status.DONE, Status.NO_SHOW]), (eve, [Status.DONE] * 2))
    for k, (patient, statuses) in enumerate(runs):
        series = series_for(patient, prescriber)
        order = infusions.InfusionOrder.objects.create(
            patient=patient, location=boston, series=series, mg_per_kg=Decimal("0.5"),
            minutes=40, status="signed", signed_by=prescriber, signed_at=day,
        )  # fmt: skip
        for number, status in enumerate(statuses, start=1):
            appointment = make_appointment(
                patient, Kind.INFUSION, day + dt.timedelta(days=2 * number, hours=2 * k), nurse,
                series=series, series_number=number, status=status,
            )  # fmt: skip
            if status == Status.DONE:
                given.append(infusion(appointment, prescriber, order))
    booster = make_appointment(eve, Kind.BOOSTER, day + dt.timedelta(days=14), nurse,
                               status=Status.DONE)  # fmt: skip
    given.append(infusion(booster, prescriber, order))
    vitals = infusions.VitalSigns.objects.create(infusion=given[0], phase="during", taken_at=day,
                                       recorded_by=nurse)  # fmt: skip
    infusions.ChairsideAlert.objects.create(infusion=given[0], location=boston, vital_signs=vitals,
                                  raised_at=day)  # fmt: skip
    for row in given[1:3]:
        infusions.AdverseEvent.objects.create(
            infusion=row, kind="nausea", severity="mild", outcome="resolved", recorded_by=nurse,
            recorded_at=day,
        )  # fmt: skip
    # Scores and diaries, so that the query count test grows them too.
    phq9(dan, day - dt.timedelta(days=1), 20)
    phq9(dan, day + dt.timedelta(days=20), 9)
    DrinkingDay.objects.create(patient=eve, day=dt.date(2026, 11, 12), drinks=0, source="diary")
    # Not counted: another location, another month.
    lead(hartford, prefix + "Fay Example", contact_hours=1)
    lead(boston, prefix + "Gus Example", at=dt.datetime(2026, 10, 5, 14, 0, tzinfo=dt.UTC))
    return {"eve": eve, "cat": cat}


@pytest.fixture
def data(boston, hartford, prescriber, nurse):
    return clinic(boston, hartford, prescriber, nurse)


def funnel_rows(client, **params) -> list[list[str]]:
    response = client.get(reverse("dashboard:csv", args=["funnel"]), NOVEMBER | params)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_funnel_matches_the_hand_count(data, prescriber):
    rows = funnel_rows(signed_in(prescriber))
    assert rows == [
        ["Stage", "Patients", "Of the inquiries", "Of the stage before", "Dropped out"],
        ["Inquiries", "5", "100 %", "–", "0"],
        ["Screenings", "4", "80 %", "80 %", "1"],
        ["Consultations", "3", "60 %", "75 %", "1"],
        ["Series started", "2", "40 %", "67 %", "1"],
        ["Series completed", "1", "20 %", "50 %", "1"],
    ]


def test_the_page_shows_the_median_wait_the_chart_and_operations(data, prescriber, source):
    response = signed_in(prescriber).get(reverse("dashboard:dashboard"), NOVEMBER)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>7 hours</strong> (of 4 inquiries" in page
    assert "<svg" in page and "Series completed 1" in page
    if source.name == "summaries":  # NOW, in the clinic's zone, the project's format
        assert "Figures as of Tue, Dec 15, 2026, 10:00 AM (worked out again every 15" in page
    else:
        assert "Figures computed now" in page


def test_operations_match_the_hand_count(data, clinic_admin):
    response = signed_in(clinic_admin).get(reverse("dashboard:csv", args=["operations"]), NOVEMBER)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["Figure", "Count", "Rate"],
        ["Appointments", "10", ""],
        ["No-shows", "1", "10 %"],
        ["Late cancellations", "1", "10 %"],
        ["Infusions given", "4", ""],
        ["Vitals alerts per 100 infusions", "1", "25.0"],
        ["Adverse events per 100 infusions", "2", "50.0"],
        ["Booster infusions given", "1", ""],
    ]


def test_cohorts_by_condition_and_by_first_infusion_month(data, prescriber):
    client = signed_in(prescriber)
    counts = [row[1] for row in funnel_rows(client, condition="ptsd")[1:]]
    assert counts == ["1", "1", "1", "1", "1"]
    counts = [row[1] for row in funnel_rows(client, cohort="2026-11")[1:]]
    assert counts == ["2", "2", "2", "2", "1"]
    counts = [row[1] for row in funnel_rows(client, cohort="2026-10")[1:]]
    assert counts == ["0"] * 5


def test_the_people_behind_a_figure_are_listed_and_audited(data, prescriber):
    client = signed_in(prescriber)
    url = reverse("dashboard:behind", args=["completed"])
    response = client.get(url, NOVEMBER)
    assert response.status_code == 200
    assert "Eve Example" in response.content.decode()
    assert "Dan Example" not in response.content.decode()
    event = AuditEvent.objects.filter(action="dashboard.figure.list").latest("id")
    assert event.detail["figure"] == "completed" and len(event.detail["ids"]) == 1
    dropped = client.get(reverse("dashboard:behind", args=["dropped_screenings"]), NOVEMBER)
    assert "Ann Example" in dropped.content.decode()
    shows = client.get(reverse("dashboard:behind", args=["no_shows"]), NOVEMBER)
    assert "Dan" in shows.content.decode()
    assert client.get(reverse("dashboard:behind", args=["nothing"])).status_code == 404


def test_front_desk_and_nurses_get_the_staff_403(data, front_desk, nurse):
    for user in (front_desk, nurse):
        response = signed_in(user).get(reverse("dashboard:dashboard"))
        assert response.status_code == 403
        assert "403_staff.html" in [t.name for t in response.templates]


def test_signing_in_comes_first(client, db):
    for url in (reverse("dashboard:dashboard"), reverse("dashboard:csv", args=["funnel"])):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_the_navigation_links_the_dashboard_for_admins_and_prescribers_only(
    clinic_admin, prescriber, nurse, front_desk
):
    url = reverse("dashboard:dashboard")
    for user, shown in ((clinic_admin, True), (prescriber, True), (nurse, False),
                        (front_desk, False)):  # fmt: skip
        page = signed_in(user).get(reverse("accounts:home")).content.decode()
        assert (f'href="{url}"' in page) is shown, user.role


def test_a_prescriber_sees_only_their_locations(data, prescriber_hartford, boston):
    client = signed_in(prescriber_hartford)
    rows = funnel_rows(client, location=str(boston.pk))  # not theirs: all of theirs instead
    assert [row[1] for row in rows[1:]] == ["1", "0", "0", "0", "0"]
    page = client.get(reverse("dashboard:behind", args=["inquiries"]), NOVEMBER)
    assert "Fay Example" in page.content.decode()
    assert "Ann Example" not in page.content.decode()


def test_bad_months_say_what_is_wrong_and_keep_the_input(data, prescriber):
    response = signed_in(prescriber).get(
        reverse("dashboard:dashboard"),
        {"from_month": "November", "to_month": "9999-12", "cohort": "2026-13"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a month as year and month" in page and 'value="November"' in page


def test_the_query_count_does_not_grow_with_the_data(boston, hartford, prescriber, nurse, source):
    client = signed_in(prescriber)
    source.auto = False

    def pages() -> None:
        client.get(reverse("dashboard:dashboard"), NOVEMBER)
        client.get(reverse("dashboard:behind", args=["adverse_events"]), NOVEMBER)

    clinic(boston, hartford, prescriber, nurse)
    source.refresh()
    few = query_count(pages)
    for run, prefix in enumerate(("Second ", "Third "), start=1):
        clinic(boston, hartford, prescriber, nurse, prefix=prefix, run=run)
    source.refresh()
    assert query_count(pages) == few


def phq9(patient, at: dt.datetime, total: int) -> None:
    QuestionnaireResponse.objects.create(
        patient=patient, instrument="phq-9", version="1", answers={}, total=total,
        authored_at=at, source="portal",
    )  # fmt: skip


def jan(day: int, month: int = 1, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def treated(boston, prescriber, nurse):
    """First infusions in January 2026. By hand (response: 50 % below baseline; remission:
    below 5):
    - Pat: baseline 20; 8 at 25 days (response); 4 at 95 days (response and remission).
    - Quin: baseline 18; 10 at 20 days (no: 10 > 9); 9 at 180 days (response: exactly half).
    - Ray: no score before the first infusion; 3 at 15 days: not counted.
    - Sal: first infusion in December 2025: not counted.
    End of induction 2 with a score, 1 responding, 0 in remission; 3 months 1, 1, 1;
    6 months 1, 1, 0."""
    people = {}
    for hour, (name, first) in enumerate(
        (("Pat", jan(5)), ("Quin", jan(5)), ("Ray", jan(5)), ("Sal", jan(5, 12, 2025)))
    ):
        patient = make_patient(boston, name, "Treated")
        start = first + dt.timedelta(hours=2 * hour)
        make_appointment(patient, Kind.INFUSION, start, nurse, status=Status.DONE)
        people[name] = (patient, start)
    pat, start = people["Pat"]
    phq9(pat, start - dt.timedelta(days=30), 25)  # an older score: not the baseline
    phq9(pat, start - dt.timedelta(days=3), 20)
    phq9(pat, start + dt.timedelta(days=25), 8)
    phq9(pat, start + dt.timedelta(days=95), 4)
    quin, start = people["Quin"]
    phq9(quin, start - dt.timedelta(days=1), 18)
    phq9(quin, start + dt.timedelta(days=20), 10)
    phq9(quin, start + dt.timedelta(days=180), 9)
    ray, start = people["Ray"]
    phq9(ray, start + dt.timedelta(days=15), 3)
    sal, start = people["Sal"]
    phq9(sal, start - dt.timedelta(days=1), 20)
    phq9(sal, start + dt.timedelta(days=20), 2)
    return people


JANUARY = {"from_month": "2026-01", "to_month": "2026-01"}


def outcome_rows(client) -> list[list[str]]:
    response = client.get(reverse("dashboard:csv", args=["outcomes"]), JANUARY)
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_outcomes_match_the_hand_count(treated, prescriber):
    assert outcome_rows(signed_in(prescriber)) == [
        ["Time point", "Patients with a score", "Response", "Response rate", "Remission",
         "Remission rate"],
        ["End of induction", "2", "1", "50 %", "0", "0 %"],
        ["3 months", "1", "1", "100 %", "1", "100 %"],
        ["6 months", "1", "1", "100 %", "0", "0 %"],
    ]  # fmt: skip


def test_outcomes_follow_the_clinic_settings(treated, prescriber, boston):
    OutcomeSettings.objects.create(
        organization_id=boston.organization_id, response_percent=40, remission_below=9
    )
    rows = outcome_rows(signed_in(prescriber))
    assert rows[1] == ["End of induction", "2", "2", "100 %", "1", "50 %"]


def test_the_patients_behind_an_outcome(treated, prescriber):
    client = signed_in(prescriber)
    page = client.get(reverse("dashboard:behind", args=["induction_response"]), JANUARY)
    assert "Pat Treated" in page.content.decode()
    assert "Quin" not in page.content.decode()


@pytest.mark.parametrize("percent, below", [(50, 5), (40, 9), (10, 21)])
def test_the_outcome_figures_agree_with_the_lists_behind_them(treated, boston, percent, below):
    """The figures (the scores read once and picked in Python) and the lists behind them
    (a subquery per score in the database) are two ways to the same rules."""
    from django.utils import timezone

    from dendrite.dashboard import queries

    OutcomeSettings.objects.create(organization_id=boston.organization_id,
                                   response_percent=percent, remission_below=below)  # fmt: skip
    start = timezone.make_aware(dt.datetime(2026, 1, 1))
    scope = queries.Scope((boston.pk,), start, timezone.make_aware(dt.datetime(2026, 2, 1)))
    rows = queries.outcomes(scope)
    assert sum(row.with_data + row.responders + row.remitters for row in rows) > 0
    for row in rows:
        counts = {"data": row.with_data, "response": row.responders, "remission": row.remitters}
        for figure, count in counts.items():
            rule = queries.outcome_q(row.key, figure, percent, below)
            assert queries.treated(scope).filter(rule).count() == count, (row.key, figure)


def test_substance_use_matches_the_hand_count(boston, prescriber):
    """Hal (male): 0, 5 (heavy), 4 (not heavy for a man). Ivy (female): 4 (heavy), 0, and
    10 on 31 October (another month). 5 recorded days, 2 abstinent (40 %), 2 heavy (40 %)."""
    hal = make_patient(boston, "Hal", "Diary", sex="male")
    ivy = make_patient(boston, "Ivy", "Diary", sex="female")
    entries = [(hal, 1, 0), (hal, 2, 5), (hal, 3, 4), (ivy, 1, 4), (ivy, 2, 0)]
    for patient, day, drinks in entries:
        DrinkingDay.objects.create(patient=patient, day=dt.date(2026, 11, day),
                                   drinks=Decimal(drinks), source="diary")  # fmt: skip
    DrinkingDay.objects.create(patient=ivy, day=dt.date(2026, 10, 31), drinks=10, source="diary")
    client = signed_in(prescriber)
    response = client.get(reverse("dashboard:csv", args=["substance-use"]), NOVEMBER)
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [
        ["Figure", "Days", "Of the recorded days"],
        ["Days recorded in drinking diaries", "5", ""],
        ["Days abstinent", "2", "40 %"],
        ["Heavy drinking days", "2", "40 %"],
    ]
    heavy = client.get(reverse("dashboard:behind", args=["heavy"]), NOVEMBER).content.decode()
    assert heavy.count("Hal Diary") == 1 and heavy.count("Ivy Diary") == 1
