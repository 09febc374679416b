"""The dashboard's computation against the SQL it needs, run directly, side by side.

The page reads its figures from the summaries `refresh_dashboard` keeps (dashboard/
models.py, refresh.py; docs/benchmarks.md "Dashboard summaries at network size").
`compare(scope, repeat)` times, in alternating runs, (a) what the dashboard view computes
(dashboard/summaries.py: the source of the figures, then the same calls as
views.dashboard, without the template) and (b) the SQL aggregates over the summaries
behind those figures, hand-written here and executed on a cursor (the small look-ups —
the refresh row, the outcome thresholds, the relapse definition — are the ORM's SQL
captured once and replayed). Each hand-written aggregate is checked first to give the
dashboard's own numbers. The ratio is the median of (a) over the median of (b): target
at most 3×; and (a) under 1 s at 100 000 patients on PostgreSQL.

`live(scope)` is the same computation from the records (dashboard/queries.py: the page
before a refresh, or for a scope that is not whole months), timed once for "before".

`main()` refreshes the summaries unless BENCH_DASHBOARD_REFRESH=0, then prints one JSON
line per scope: the whole network (every location, the default twelve months), one
location, a condition, a cohort month.
"""

import datetime as dt
import json
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

COHORT = """
SELECT {sums} FROM dashboard_patientsummary s
WHERE s.location_id IN ({ids}) AND s.first_infusion_at >= %s AND s.first_infusion_at < %s
{cohort}
"""
LEADS = """
SELECT COUNT(*), {stages}, COALESCE(SUM(CASE WHEN l.wait IS NOT NULL THEN 1 ELSE 0 END), 0)
FROM dashboard_leadsummary l {join}
WHERE l.location_id IN ({ids}) AND l.created_at >= %s AND l.created_at < %s {cohort}
"""
WAITS = """
SELECT l.wait FROM dashboard_leadsummary l {join}
WHERE l.location_id IN ({ids}) AND l.created_at >= %s AND l.created_at < %s
  AND l.wait IS NOT NULL {cohort}
ORDER BY l.wait, l.lead_id LIMIT %s OFFSET %s
"""
OPERATIONS = """
SELECT COALESCE(SUM(appointments), 0), COALESCE(SUM(no_shows), 0),
  COALESCE(SUM(late_cancels), 0), COALESCE(SUM(boosters), 0), COALESCE(SUM(infusions), 0),
  COALESCE(SUM(alerts), 0), COALESCE(SUM(adverse_events), 0)
FROM dashboard_operationmonth s
WHERE s.location_id IN ({ids}) AND s.month >= %s AND s.month < %s {cohort}
"""
DIARY = """
SELECT COUNT(DISTINCT patient_id), COALESCE(SUM(recorded), 0), COALESCE(SUM(abstinent), 0),
  COALESCE(SUM(heavy), 0)
FROM dashboard_diarymonth s
WHERE s.location_id IN ({ids}) AND s.month >= %s AND s.month < %s {cohort}
"""
CHAIRS = """
SELECT weekday, begin, finish, SUM(count) FROM dashboard_chairmonth s
WHERE s.location_id IN ({ids}) AND s.month >= %s AND s.month < %s {cohort}
GROUP BY weekday, begin, finish
"""


def dashboard(scope: Any) -> dict[str, Any]:
    """What views.dashboard computes, in its order (summaries when refreshed)."""
    from dendrite.dashboard import summaries

    return _figures(summaries.source(scope))


def live(scope: Any) -> dict[str, Any]:
    """The same figures computed from the records (the page before this change)."""
    from dendrite.dashboard import summaries

    return _figures(summaries.Live(scope))


def _figures(found: Any) -> dict[str, Any]:
    from dendrite.dashboard import figures

    steps = found.funnel()
    figures.bars(steps)
    return {
        "summaries": found.refreshed_at is not None,
        "funnel": [s.count for s in steps],
        "wait": found.first_contact_median(),
        "thresholds": found.thresholds,
        "operations": found.operations(),
        "outcomes": found.outcomes(),
        "drinking": found.substance_use(),
        "relapse": found.relapse(),
        "definition": found.relapse_definition,
        "chairs": found.chair_use(),
    }


def _cohort(scope: Any, alias: str) -> tuple[str, list[Any]]:
    from django.utils import timezone

    sql, params = "", []
    if scope.condition:
        sql += f" AND {alias}.conditions LIKE %s"
        params.append(f"%|{scope.condition}|%")
    if scope.cohort_start:
        sql += f" AND {alias}.cohort_month = %s"
        params.append(timezone.localdate(scope.cohort_start))
    return sql, params


def hand_written(scope: Any, percent: int, below: int) -> dict[str, Any]:
    """The summaries' aggregates, on a cursor."""
    from django.db import connection
    from django.utils import timezone

    from dendrite.dashboard import figures, queries

    ids = ", ".join(str(int(pk)) for pk in scope.location_ids)
    adapt = connection.ops.adapt_datetimefield_value
    start, end = adapt(scope.start), adapt(scope.end)
    months = [timezone.localdate(scope.start), timezone.localdate(scope.end)]
    cohort, cohort_params = _cohort(scope, "s")
    filtered = bool(scope.condition or scope.cohort_start)
    join = "JOIN dashboard_patientsummary s ON s.patient_id = l.patient_id" if filtered else ""
    sums = []
    for key, *_ in queries.TIME_POINTS:
        data = f"s.baseline IS NOT NULL AND s.score_{key} IS NOT NULL"
        sums += [
            f"SUM(CASE WHEN {data} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {data} AND s.baseline > 0 AND s.score_{key} * 100 <= "
            f"s.baseline * {100 - int(percent)} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {data} AND s.score_{key} < {int(below)} THEN 1 ELSE 0 END)",
        ]
    for days in queries.RELAPSE_DAYS:
        sums += [f"SUM(CASE WHEN s.diary_after < {days} THEN 1 ELSE 0 END)",
                 f"SUM(CASE WHEN s.relapse_after < {days} THEN 1 ELSE 0 END)"]  # fmt: skip
    stages = ", ".join(f"COALESCE(SUM(CASE WHEN l.stage >= {n} THEN 1 ELSE 0 END), 0)"
                       for n in range(1, len(queries.STAGES)))  # fmt: skip
    found: dict[str, Any] = {}
    with connection.cursor() as cursor:
        cursor.execute(LEADS.format(stages=stages, join=join, ids=ids, cohort=cohort),
                       [start, end, *cohort_params])  # fmt: skip
        *funnel, waited = [int(x or 0) for x in cursor.fetchone()]
        found["funnel"] = funnel
        low, high = figures.middle_slice(waited)
        cursor.execute(WAITS.format(join=join, ids=ids, cohort=cohort),
                       [start, end, *cohort_params, high - low, low])  # fmt: skip
        middle = [connection.ops.convert_durationfield_value(w, None, connection) if isinstance(
            w, int) else w for (w,) in cursor.fetchall()]  # fmt: skip
        found["wait"] = (figures.median(middle), waited)
        cursor.execute(OPERATIONS.format(ids=ids, cohort=cohort), [*months, *cohort_params])
        found["operations"] = [int(x) for x in cursor.fetchone()]
        cursor.execute(COHORT.format(sums=", ".join(sums), ids=ids, cohort=cohort),
                       [start, end, *cohort_params])  # fmt: skip
        found["cohort"] = [int(x or 0) for x in cursor.fetchone()]
        cursor.execute(DIARY.format(ids=ids, cohort=cohort), [*months, *cohort_params])
        found["drinking"] = [int(x) for x in cursor.fetchone()]
        cursor.execute(CHAIRS.format(ids=ids, cohort=cohort), [*months, *cohort_params])
        found["chairs"] = figures.chair_minutes([tuple(int(v) for v in r) for r in cursor])
    return found


def captured(scope: Any) -> list[str]:
    """The SQL of the small look-ups (refresh row, thresholds, relapse definition)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dendrite.dashboard import queries, summaries

    with CaptureQueriesContext(connection) as seen:
        summaries.source(scope)
        queries.thresholds(scope)
        queries.relapse_definition(scope)
    return [q["sql"] for q in seen.captured_queries]


def replay(statements: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()


def check(scope: Any) -> dict[str, Any]:
    """The hand-written SQL gives the dashboard's own numbers, read from the summaries."""
    theirs = dashboard(scope)
    assert theirs["summaries"], "not refreshed: run manage.py refresh_dashboard"
    ours = hand_written(scope, *theirs["thresholds"])
    ops = theirs["operations"]
    drinking = theirs["drinking"]
    assert ours["funnel"] == theirs["funnel"], (ours["funnel"], theirs["funnel"])
    assert ours["wait"] == theirs["wait"], (ours["wait"], theirs["wait"])
    assert ours["operations"] == [ops.appointments, ops.no_shows, ops.late_cancels,
                                  ops.boosters, ops.infusions, ops.alerts,
                                  ops.adverse_events], ours  # fmt: skip
    cohort = [n for o in theirs["outcomes"] for n in (o.with_data, o.responders, o.remitters)]
    cohort += [n for r in theirs["relapse"] for n in (r.with_data, r.relapsed)]
    assert ours["cohort"] == cohort, (ours["cohort"], cohort)
    assert ours["drinking"] == [drinking.patients, drinking.recorded, drinking.abstinent,
                                drinking.heavy], ours  # fmt: skip
    assert ours["chairs"] == theirs["chairs"].minutes
    return theirs


def _timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def compare(scope: Any, repeat: int = 5, with_live: bool = False) -> dict[str, Any]:
    theirs = check(scope)
    statements = captured(scope)
    percent, below = theirs["thresholds"]
    ours: list[float] = []
    raw: list[float] = []
    for _ in range(repeat):
        ours.append(_timed(lambda: dashboard(scope)))
        raw.append(_timed(lambda: (replay(statements), hand_written(scope, percent, below))))
    result = {
        "dashboard_s": statistics.median(ours),
        "raw_sql_s": statistics.median(raw),
        "ratio": statistics.median(ours) / statistics.median(raw),
        "repeat": repeat,
    }
    if with_live:
        started = time.perf_counter()
        before = live(scope)
        result["live_s"] = time.perf_counter() - started
        same = {key: value for key, value in theirs.items() if key != "summaries"}
        result["live_same_figures"] = same == {k: v for k, v in before.items() if k != "summaries"}
    return result


def network_scope() -> Any:
    """Every location, the dashboard's default months (the last twelve)."""
    from dendrite.clinics.models import Location
    from dendrite.dashboard.forms import DashboardFilter

    locations = list(Location.objects.order_by("pk"))
    return DashboardFilter(None, locations=locations).scope()


def filtered_scopes() -> dict[str, Any]:
    """The default scope and the filters: one location, a condition, a cohort month."""
    from dendrite.dashboard.forms import next_month
    from dendrite.dashboard.queries import Scope

    every = network_scope()
    ids, start, end = every.location_ids, every.start, every.end
    cohort = next_month(start)  # the second month of the twelve
    return {
        "all locations": every,
        "one location": Scope(ids[:1], start, end),
        "condition (depression)": Scope(ids, start, end, "depression"),
        "cohort month": Scope(ids, start, end, "", cohort, next_month(cohort)),
    }


def main() -> None:
    from dendrite.dashboard import actions
    from dendrite.patients.models import Patient

    refresh_s = None
    if os.environ.get("BENCH_DASHBOARD_REFRESH", "1") != "0":
        refresh_s = _timed(actions.refresh_dashboards)
    repeat = int(os.environ.get("BENCH_DASHBOARD_REPEAT", "3"))
    with_live = os.environ.get("BENCH_DASHBOARD_LIVE", "1") != "0"
    for name, scope in filtered_scopes().items():
        result = compare(scope, repeat, with_live)
        result.update(scope=name, refresh_s=refresh_s, patients=Patient.objects.count(),
                      at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))  # fmt: skip
        print("BENCH-DASHBOARD " + json.dumps(result), flush=True)
