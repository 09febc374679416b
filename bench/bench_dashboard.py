"""The dashboard against the raw SQL aggregates it needs, in one run (`make bench`).

BENCH_DASHBOARD_PATIENTS patients of the synthetic network (default 300; `manage.py
make_synthetic`, which ends by refreshing the summaries) in the test database; then
bench/pages/dashboard.py times the dashboard's computation (the view's calls, reading the
summaries) and the SQL aggregates over the summaries run directly on a cursor,
alternately, for the default scope and each filter (one location, a condition, a cohort
month), after checking that the hand-written SQL gives the dashboard's numbers and that
the live computation (queries.py) gives the same figures. Targets: the dashboard at most
3 × the raw SQL, and under 1 s (judged at network size: 100 000 patients on PostgreSQL,
`python -m bench.pages --dashboard`, docs/benchmarks.md "Dashboard summaries at network
size").
"""

import os
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from bench.pages.dashboard import compare, filtered_scopes

PATIENTS = int(os.environ.get("BENCH_DASHBOARD_PATIENTS", "300"))
TARGET = 3.0
SECONDS = 1.0


@pytest.fixture
def network(db: None) -> None:
    call_command("make_synthetic", patients=PATIENTS, no_progress=True, stdout=StringIO())


@pytest.mark.slow
def test_dashboard_as_a_multiple_of_its_raw_sql(network: None, benchmark: Any) -> None:
    def run() -> dict[str, Any]:
        return {name: compare(scope, repeat=3, with_live=True)
                for name, scope in filtered_scopes().items()}  # fmt: skip

    results = benchmark.pedantic(run, rounds=1, iterations=1)
    for name, result in results.items():
        assert result["live_same_figures"], name  # the summaries give the live figures
        met = result["ratio"] <= TARGET and result["dashboard_s"] < SECONDS
        benchmark.extra_info[name] = result | {"target": TARGET, "met": met}
        print(
            f"\n{name}: dashboard {result['dashboard_s'] * 1000:.0f} ms (live "
            f"{result['live_s'] * 1000:.0f} ms), raw SQL {result['raw_sql_s'] * 1000:.0f} ms: "
            f"{result['ratio']:.2f}x (target <= {TARGET}x, < {SECONDS:.0f} s)"
        )
