"""Staff pages under gunicorn as a share of a bare staff view, at small size (`make bench`).

Runs `python -m bench.pages` (bench/pages/__main__.py) on SQLite and, when it answers, on
PostgreSQL (database `dendrite_bench_pages`), each built with `manage.py make_synthetic`
of BENCH_PAGES_PATIENTS patients (default 300; 100000 for the network size). Prints each
page's requests per second, the bare view's, and the ratio against the target (at least
half); the run passes when every page answered 200 throughout. No timed assertion: the
figures go into docs/benchmarks.md ("Staff pages and dashboard at network size").
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.load.instance import ADMIN_URL, postgres_answers

ROOT = Path(__file__).resolve().parent.parent
PATIENTS = os.environ.get("BENCH_PAGES_PATIENTS", "300")
TARGET = 0.5


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("wrk") is None, reason="needs wrk (apt-get install wrk)")
@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_staff_pages_as_a_share_of_a_bare_view(database: str, tmp_path: Path) -> None:
    if database == "postgres" and not postgres_answers():
        pytest.skip("needs PostgreSQL (BENCH_ADMIN_URL)")
    report = tmp_path / "report.json"
    run = subprocess.run(
        [sys.executable, "-m", "bench.pages", "--database", database, "--patients", PATIENTS,
         "--rounds", "1", "--seconds", "3", "--run-dir", str(tmp_path), "--admin-url",
         ADMIN_URL, "--out", str(report)],
        cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    pages = json.loads(report.read_text())["pages"]
    print(f"\n{database}, {PATIENTS} synthetic patients")
    for name, page in pages.items():
        met = "met" if page["ratio"] >= TARGET else "missed"
        print(f"  {name:15} {page['rps']:8.1f} req/s of {page['bare_rps']:8.1f}: "
              f"{page['ratio']:.0%} (target >= {TARGET:.0%}, {met})")  # fmt: skip
        assert page["non_2xx"] == 0, name
