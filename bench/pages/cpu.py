"""CPU time and queries of each staff page, one process, no server: the quick check to
run before and after a change to a page (the gunicorn ratios are `python -m bench.pages`).

    .venv/bin/python -m bench.pages.cpu [--requests 30] [--database-url URL] [--json]

Builds (once) a database with the demo in var/bench-cpu/ (SQLite unless --database-url
names another, which must hold the demo), signs in as bench/pages/prepare.py does and asks
for the same pages through Django's test client: after 3 warm-up requests, the median
CPU time of the process per request (CPU, not wall time: steadier on a shared machine)
and the number of queries. Compare runs on the same machine, one after the other.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.load.instance import PYTHON, ROOT


def _environment(args: argparse.Namespace) -> dict[str, str]:
    var = ROOT / "var" / "bench-cpu"
    env = dict(
        os.environ,
        DENDRITE_DEBUG="1",
        DENDRITE_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="bench.pages.settings",
        DENDRITE_LOG_LEVEL="WARNING",
    )
    env["DATABASE_URL"] = args.database_url or f"sqlite:///{var / 'bench-cpu.sqlite3'}"
    return env


def _build(env: dict[str, str]) -> None:
    var = Path(env["DENDRITE_VAR_DIR"])
    marker = var / "built"
    if marker.exists() or not env["DATABASE_URL"].startswith("sqlite"):
        return
    var.mkdir(parents=True, exist_ok=True)
    for argv in (["migrate", "--noinput"], ["load_demo", "--quiet"]):
        subprocess.run([PYTHON, "manage.py", *argv], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    marker.write_text("demo\n")


def measure(requests: int) -> dict[str, dict[str, float]]:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from bench.pages.prepare import targets

    found = targets()
    name, _, key = found["cookie"].partition("=")
    client = Client()
    client.cookies[name] = key
    result: dict[str, dict[str, float]] = {}
    for page, path in found["pages"].items():
        for _ in range(3):
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{page} answered {response.status_code}")
        count = 0

        def counter(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):  # request_started empties queries_log
            client.get(path)
        times = []
        for _ in range(requests):
            started = time.process_time()
            client.get(path)
            times.append(time.process_time() - started)
        result[page] = {
            "cpu_ms": round(statistics.median(times) * 1000, 2),
            "queries": count,
        }
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        result = measure(args.requests)
        if args.json:
            print(json.dumps(result))
        else:
            print(f"{'page':<16} {'CPU ms':>8} {'queries':>8}")
            for page, row in result.items():
                print(f"{page:<16} {row['cpu_ms']:>8.2f} {row['queries']:>8}")
        return 0
    env = _environment(args)
    _build(env)
    argv = [PYTHON, "-m", "bench.pages.cpu", "--inner", "--requests", str(args.requests)]
    return subprocess.run(argv + (["--json"] if args.json else []), cwd=ROOT, env=env,
                          check=False).returncode  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
