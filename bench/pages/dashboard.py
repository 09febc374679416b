"""The dashboard's computation against the SQL it needs, run directly, side by side.

`compare(scope, repeat)` times, in alternating runs, (a) what the dashboard view computes
(dashboard/queries.py, the same calls as views.dashboard, without the template) and
(b) the raw SQL aggregates behind the figures, executed on a cursor:
- hand-written here for the funnel, operations and substance use (same filters as
  queries.py; each is checked to give the dashboard's numbers);
- for the first-contact median, PHQ-9 outcomes, relapse and chair use, the SQL the ORM
  generated, captured once and replayed as it is (writing those four by hand is the
  open part of this bench: docs/benchmarks.md says so).
The ratio is the median of (a) over the median of (b): target at most 3×.

`main()` prints one JSON line for bench/pages (the whole network: every location).
"""

import datetime as dt
import json
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

LEADS_FLAGS = """
SELECT l.id,
  (EXISTS (SELECT 1 FROM screening_screeningsession s
           WHERE s.lead_id = l.id AND s.finished_at IS NOT NULL)
   OR (l.triage_outcome <> '' AND l.triage_outcome <> 'incomplete')) AS screened,
  EXISTS (SELECT 1 FROM scheduling_appointment a
          JOIN scheduling_appointmenttype t ON t.id = a.appointment_type_id
          WHERE a.patient_id = l.patient_id AND t.kind = 'consultation'
            AND a.status = 'done') AS consulted,
  EXISTS (SELECT 1 FROM scheduling_appointment a
          JOIN scheduling_appointmenttype t ON t.id = a.appointment_type_id
          WHERE a.patient_id = l.patient_id AND t.kind = 'infusion'
            AND a.status = 'done' AND a.series_id IS NOT NULL) AS started,
  EXISTS (SELECT 1 FROM scheduling_series s
          WHERE s.patient_id = l.patient_id
            AND (SELECT COUNT(*) FROM scheduling_appointment a
                 WHERE a.series_id = s.id AND a.status = 'done') >= s.infusions) AS completed
FROM leads_lead l
WHERE l.location_id IN ({ids}) AND l.created_at >= %s AND l.created_at < %s
"""
FUNNEL = """
SELECT COUNT(*),
  SUM(CASE WHEN f.screened OR f.consulted OR f.started OR f.completed THEN 1 ELSE 0 END),
  SUM(CASE WHEN f.consulted OR f.started OR f.completed THEN 1 ELSE 0 END),
  SUM(CASE WHEN f.started OR f.completed THEN 1 ELSE 0 END),
  SUM(CASE WHEN f.completed THEN 1 ELSE 0 END)
FROM ({leads}) f
"""
APPOINTMENTS = """
SELECT COUNT(*),
  SUM(CASE WHEN a.status = 'no_show' THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.status = 'cancelled' AND a.late_cancel THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.status = 'done' AND t.kind = 'booster' THEN 1 ELSE 0 END)
FROM scheduling_appointment a JOIN scheduling_appointmenttype t ON t.id = a.appointment_type_id
WHERE a.location_id IN ({ids}) AND a.starts_at >= %s AND a.starts_at < %s
"""
INFUSIONS = """
SELECT COUNT(*),
  (SELECT COUNT(*) FROM infusions_chairsidealert c WHERE c.infusion_id IN ({given})),
  (SELECT COUNT(*) FROM infusions_adverseevent e WHERE e.infusion_id IN ({given}))
FROM infusions_infusion i
WHERE i.location_id IN ({ids}) AND i.started_at >= %s AND i.started_at < %s
"""
GIVEN = """SELECT i2.id FROM infusions_infusion i2 WHERE i2.location_id IN ({ids})
AND i2.started_at >= %s AND i2.started_at < %s"""
DRINKING = """
SELECT COUNT(DISTINCT d.patient_id), COUNT(*),
  SUM(CASE WHEN d.drinks = 0 THEN 1 ELSE 0 END),
  SUM(CASE WHEN (p.sex = 'male' AND d.drinks >= %s) OR (p.sex <> 'male' AND d.drinks >= %s)
      THEN 1 ELSE 0 END)
FROM recovery_drinkingday d JOIN patients_patient p ON p.id = d.patient_id
WHERE p.location_id IN ({ids}) AND d.day >= %s AND d.day < %s
"""


def dashboard(scope: Any) -> dict[str, Any]:
    """What views.dashboard computes, in its order."""
    from dendrite.dashboard import figures, queries

    steps = queries.funnel(scope)
    figures.bars(steps)
    return {
        "funnel": [s.count for s in steps],
        "wait": queries.first_contact_median(scope),
        "thresholds": queries.thresholds(scope),
        "operations": queries.operations(scope),
        "outcomes": queries.outcomes(scope),
        "drinking": queries.substance_use(scope),
        "relapse": queries.relapse(scope),
        "definition": queries.relapse_definition(scope),
        "chairs": queries.chair_use(scope),
    }


def hand_written(scope: Any) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from dendrite.recovery.metrics import HEAVY_MEN, HEAVY_WOMEN

    ids = ", ".join(str(int(pk)) for pk in scope.location_ids)
    adapt = connection.ops.adapt_datetimefield_value
    start, end = adapt(scope.start), adapt(scope.end)
    with connection.cursor() as cursor:
        cursor.execute(FUNNEL.format(leads=LEADS_FLAGS.format(ids=ids)), [start, end])
        funnel = [int(x or 0) for x in cursor.fetchone()]
        cursor.execute(APPOINTMENTS.format(ids=ids), [start, end])
        appointments = [int(x or 0) for x in cursor.fetchone()]
        given = GIVEN.format(ids=ids)
        cursor.execute(INFUSIONS.format(ids=ids, given=given), [start, end] * 3)
        infusions = [int(x or 0) for x in cursor.fetchone()]
        days = [timezone.localdate(scope.start), timezone.localdate(scope.end)]
        cursor.execute(DRINKING.format(ids=ids), [HEAVY_MEN, HEAVY_WOMEN, *days])
        drinking = [int(x or 0) for x in cursor.fetchone()]
    return {"funnel": funnel, "appointments": appointments, "infusions": infusions,
            "drinking": drinking}  # fmt: skip


REPLAYED = ("first_contact_median", "outcomes", "relapse", "chair_use", "thresholds",
            "relapse_definition")  # fmt: skip


def captured(scope: Any) -> list[str]:
    """The SQL of the figures not written by hand above, as the ORM sends it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dendrite.dashboard import queries

    with CaptureQueriesContext(connection) as seen:
        for name in REPLAYED:
            getattr(queries, name)(scope)
    return [q["sql"] for q in seen.captured_queries]


def replay(statements: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()


def check(scope: Any) -> None:
    """The hand-written SQL gives the dashboard's own numbers."""
    ours, theirs = hand_written(scope), dashboard(scope)
    ops = theirs["operations"]
    drinking = theirs["drinking"]
    assert ours["funnel"] == theirs["funnel"], (ours["funnel"], theirs["funnel"])
    assert ours["appointments"] == [ops.appointments, ops.no_shows, ops.late_cancels,
                                    ops.boosters], ours  # fmt: skip
    assert ours["infusions"] == [ops.infusions, ops.alerts, ops.adverse_events], ours
    assert ours["drinking"] == [drinking.patients, drinking.recorded, drinking.abstinent,
                                drinking.heavy], ours  # fmt: skip


def _timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def compare(scope: Any, repeat: int = 5) -> dict[str, Any]:
    check(scope)
    statements = captured(scope)
    dashboard(scope)  # warm
    ours: list[float] = []
    raw: list[float] = []
    for _ in range(repeat):
        ours.append(_timed(lambda: dashboard(scope)))
        raw.append(_timed(lambda: (hand_written(scope), replay(statements))))
    return {
        "dashboard_s": statistics.median(ours),
        "raw_sql_s": statistics.median(raw),
        "ratio": statistics.median(ours) / statistics.median(raw),
        "repeat": repeat,
    }


def network_scope() -> Any:
    """Every location, the dashboard's default months (the last twelve)."""
    from dendrite.clinics.models import Location
    from dendrite.dashboard.forms import DashboardFilter

    locations = list(Location.objects.order_by("pk"))
    return DashboardFilter(None, locations=locations).scope()


def main() -> None:
    from dendrite.patients.models import Patient

    result = compare(network_scope(), int(os.environ.get("BENCH_DASHBOARD_REPEAT", "3")))
    result["patients"] = Patient.objects.count()
    result["at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    print("BENCH-DASHBOARD " + json.dumps(result))
