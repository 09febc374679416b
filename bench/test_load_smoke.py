"""The load and fault scenarios at small scale, so the harness cannot rot (`make bench`).

Every scenario of bench/load runs once with a handful of people and inquiries against
an instance of its own (database `dendrite_loadfault_smoke`); the run passes only with
0 errors under load, 0 inquiries lost, every e-mail sent exactly once and no error once
a database outage is over. Skipped without PostgreSQL. The full-size figures are in
docs/benchmarks.md ("Load and faults").
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.load.instance import ADMIN_URL, postgres_answers

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.skipif(not postgres_answers(), reason="needs PostgreSQL (BENCH_ADMIN_URL)")
def test_every_load_and_fault_scenario_at_small_scale(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.load",
            "--small",
            "--database",
            "dendrite_loadfault_smoke",
            "--admin-url",
            ADMIN_URL,
            "--out",
            str(report),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    figures = json.loads(report.read_text())
    for name in ("mix", "kill-web-worker", "kill-web-master", "pg-outage", "kill-worker"):
        delivery = figures[name]["delivery"]
        assert delivery["lost"] == 0
        assert delivery["staff_notifications_twice"] == delivery["acknowledgements_twice"] == 0
        assert delivery["staff_notifications_missing"] == 0
    assert figures["mix"]["all"]["errors"] == 0
    assert figures["pg-outage"]["windows"]["after"]["errors"] == 0
    assert figures["pg-outage"]["quiet_outage"]["after"]["errors"] == 0
    assert figures["kill-web-master"]["restarts"]["web"] == 1
