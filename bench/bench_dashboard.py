"""The dashboard against the raw SQL aggregates it needs, in one run (`make bench`).

BENCH_DASHBOARD_PATIENTS patients of the synthetic network (default 300; `manage.py
make_synthetic`) in the test database; bench/pages/dashboard.py times the dashboard's
computation (the view's calls into dashboard/queries.py) and the SQL behind its figures
run directly on a cursor, alternately, and checks first that the hand-written SQL gives
the dashboard's numbers. Target: the dashboard at most 3 × the raw SQL. The figures at
network size (100 000 patients on PostgreSQL) come from `python -m bench.pages
--dashboard` and are in docs/benchmarks.md.
"""

import os
from io import StringIO

import pytest
from django.core.management import call_command

from bench.pages.dashboard import compare, network_scope

PATIENTS = int(os.environ.get("BENCH_DASHBOARD_PATIENTS", "300"))
TARGET = 3.0


@pytest.fixture
def network(db: None) -> None:
    call_command("make_synthetic", patients=PATIENTS, no_progress=True, stdout=StringIO())


@pytest.mark.slow
def test_dashboard_as_a_multiple_of_its_raw_sql(network: None, benchmark) -> None:  # type: ignore[no-untyped-def]
    scope = network_scope()
    result = benchmark.pedantic(lambda: compare(scope, repeat=3), rounds=1, iterations=1)
    benchmark.extra_info.update(result, target=TARGET, met=result["ratio"] <= TARGET)
    print(
        f"\ndashboard {result['dashboard_s'] * 1000:.0f} ms, raw SQL "
        f"{result['raw_sql_s'] * 1000:.0f} ms: {result['ratio']:.2f}x (target <= {TARGET}x)"
    )
