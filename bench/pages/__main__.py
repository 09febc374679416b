"""Staff pages under a production WSGI server, each as a share of a bare staff view.

    python -m bench.pages --database sqlite|postgres --patients N [--out report.json]
    python -m bench.pages --database-url postgres://…/a_synthetic_database [--out …]

Builds a database of its own (PostgreSQL `--pg-name`, or a SQLite file in the run
folder): migrate, then `manage.py make_synthetic --patients N`, the synthetic clinic
network (dendrite/demo/synthetic/). Starts gunicorn with gunicorn.conf.py and the
production profile (DENDRITE_DEBUG unset) and bench/pages/settings.py, whose URLconf
adds the bare view. prepare.py signs in a prescriber of the network's first location and
picks that location's pages. Then, in rounds, each of the bare view and the six pages
gets the same fixed load from wrk (keep-alive connections, one signed-in staff session)
for a few seconds; a page's ratio is its requests per second over the bare view's in the
same round, and the figure is the median round. Side by side in one run, the ratios
hold on a machine that is busy with other work.

With --reuse the database is kept when it already holds the synthetic network of that
size (the 100 000-patient build takes a while). --database-url runs against an existing
database named by URL, never dropped: a synthetic network there is used whatever its
size, and only an empty database is built. Either way it is migrated, and the bench
writes a session and a TOTP device for its staff member into it. The dashboard's own
timing runs against the same database (dashboard.py).
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg

from bench.load.instance import GUNICORN, PYTHON, ROOT, free_port, wait_for_health

TARGET_SHARE = 0.5  # a page serves at least half the bare view's requests per second


def environment(args: argparse.Namespace, run_dir: Path, port: int) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DENDRITE_", "DATABASE_URL", "DJANGO_"))
    }
    env.update(
        DENDRITE_SECRET_KEY="bench-" + secrets.token_urlsafe(60),
        DENDRITE_AUDIT_KEY=secrets.token_urlsafe(40),
        DENDRITE_ALLOWED_HOSTS="127.0.0.1,localhost",
        DENDRITE_SSL_REDIRECT="0",
        DENDRITE_VAR_DIR=str(run_dir / "var"),
        DENDRITE_BIND=f"127.0.0.1:{port}",
        DENDRITE_SITE_URL=f"http://127.0.0.1:{port}",
        DENDRITE_WEB_WORKERS=str(args.workers),
        DENDRITE_LOG_LEVEL="WARNING",
        DENDRITE_HEALTH_MIN_FREE_DISK_MB="64",
        # The bench's one session would otherwise time out between the build and the load.
        DENDRITE_IDLE_TIMEOUT_SECONDS="86400",
        DJANGO_SETTINGS_MODULE="bench.pages.settings",
    )
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    elif args.database == "postgres":
        env["DATABASE_URL"] = args.admin_url.rsplit("/", 1)[0] + f"/{args.pg_name}"
    return env


def manage(env: dict[str, str], log: Path, *argv: str, debug: bool = False) -> str:
    run_env = dict(env, DENDRITE_DEBUG="1") if debug else env
    done = subprocess.run(
        [PYTHON, "manage.py", *argv],
        cwd=ROOT,
        env=run_env,
        capture_output=True,
        text=True,
        check=False,
    )
    with log.open("a") as out:
        out.write(done.stdout + done.stderr)
    if done.returncode:
        raise RuntimeError(f"manage.py {argv[0]} failed; see {log}")
    return done.stdout


# How many patients the synthetic network in the database has: -1 for none (or no tables).
NETWORK_SIZE = """
from django.db import connection
from dendrite.demo.synthetic.network import SLUG
n = -1
if "patients_patient" in connection.introspection.table_names():
    from dendrite.clinics.models import Organization
    from dendrite.patients.models import Patient
    if Organization.objects.filter(slug=SLUG).exists():
        n = Patient.objects.filter(organization__slug=SLUG).count()
print("BENCH-NETWORK", n)
"""


def network_size(env: dict[str, str], log: Path) -> int:
    out = manage(env, log, "shell", "-c", NETWORK_SIZE)
    line = next(x for x in out.splitlines() if x.startswith("BENCH-NETWORK "))
    return int(line.split()[1])


def build(args: argparse.Namespace, env: dict[str, str], run_dir: Path) -> None:
    log = run_dir / "setup.log"
    if args.database_url or args.reuse:
        try:
            size = network_size(env, log)
        except RuntimeError:  # no such database yet
            size = -1
        if size >= 0 and (args.database_url or size == args.patients):
            print(f"reusing the synthetic network of {size} patients", flush=True)
            manage(env, log, "migrate", "--noinput")
            manage(env, log, "collectstatic", "--noinput")
            return
    if args.database_url:
        pass  # named by the caller: never dropped (make_synthetic refuses other patients)
    elif args.database == "postgres":
        with psycopg.connect(args.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.pg_name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{args.pg_name}"')
    else:
        shutil.rmtree(run_dir / "var", ignore_errors=True)
    manage(env, log, "migrate", "--noinput")
    manage(env, log, "collectstatic", "--noinput")
    started = time.monotonic()
    # make_synthetic ends with ANALYZE: the planner knows the tables' sizes.
    manage(env, log, "make_synthetic", "--patients", str(args.patients), "--no-progress")
    print(f"built {args.patients} patients in {time.monotonic() - started:.0f} s", flush=True)


def prepare(env: dict[str, str], run_dir: Path) -> dict[str, Any]:
    out = manage(env, run_dir / "setup.log", "shell", "-c",
                 "from bench.pages.prepare import main; main()")  # fmt: skip
    line = next(x for x in out.splitlines() if x.startswith("BENCH-TARGETS "))
    return dict(json.loads(line.removeprefix("BENCH-TARGETS ")))


def wait_ready(port: int) -> None:
    if not wait_for_health(port):
        raise RuntimeError("gunicorn did not answer")


def fetch(port: int, path: str, cookie: str) -> tuple[int, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    response.read()
    return response.status, time.perf_counter() - started


REQUESTS = re.compile(r"Requests/sec:\s+([\d.]+)")
NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
ERRORS = re.compile(r"Socket errors:.*")
LATENCY = re.compile(r"Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s|m)\b")
SECONDS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def wrk(port: int, path: str, cookie: str, args: argparse.Namespace, bare: str) -> dict[str, Any]:
    done = subprocess.run(
        ["wrk", "-t", "2", "-c", str(args.connections), "-d", f"{args.seconds}s",
         "--timeout", "30s", "-H", f"Cookie: {cookie}", f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    found = REQUESTS.search(done.stdout)
    bad = NON_2XX.search(done.stdout)
    errors = ERRORS.search(done.stdout)
    slowest = LATENCY.search(done.stdout)
    result = {
        "rps": float(found.group(1)) if found else 0.0,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else "",
        "latency_max_s": float(slowest.group(1)) * SECONDS[slowest.group(2)] if slowest else 0.0,
    }
    settle(port, bare, cookie, args, result["latency_max_s"] or args.seconds)
    return result


def settle(port: int, bare: str, cookie: str, args: argparse.Namespace, slowest: float) -> None:
    """Let the server finish the requests wrk left behind before the next page's turn:
    when wrk stops, the workers still serve the ones they took and those queued (a
    slow page's would eat into the next page's seconds). Wait as long as the slowest
    request took, then until a bare request on every connection has come back."""
    time.sleep(min(slowest, 30.0))
    with ThreadPoolExecutor(args.connections) as pool:
        list(pool.map(lambda _: fetch(port, bare, cookie), range(args.connections)))


def measure(args: argparse.Namespace, env: dict[str, str], run_dir: Path) -> dict[str, Any]:
    port = int(env["DENDRITE_BIND"].rsplit(":", 1)[1])
    found = prepare(env, run_dir)
    cookie, pages = found["cookie"], found["pages"]
    web = subprocess.Popen(
        [GUNICORN, "--config", "gunicorn.conf.py"],
        cwd=ROOT, env=env, stdout=(run_dir / "web.log").open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_ready(port)
        single: dict[str, float] = {}
        for name, path in pages.items():
            for _ in range(2):  # warm every worker's caches a little
                status, _ = fetch(port, path, cookie)
                if status != 200:
                    raise RuntimeError(f"{name} answered {status}; see {run_dir}/web.log")
            single[name] = min(fetch(port, path, cookie)[1] for _ in range(3))
        rounds: list[dict[str, dict[str, Any]]] = []
        for _ in range(args.rounds):
            rounds.append(
                {name: wrk(port, path, cookie, args, pages["bare"]) for name, path in pages.items()}
            )
    finally:
        web.terminate()
        web.wait(timeout=30)
    result: dict[str, Any] = {}
    for name in pages:
        ratios = [r[name]["rps"] / r["bare"]["rps"] for r in rounds if r["bare"]["rps"]]
        result[name] = {
            "path": re.sub(r"\?q=.*", "?q=…", pages[name]),
            "rps": statistics.median(r[name]["rps"] for r in rounds),
            "bare_rps": statistics.median(r["bare"]["rps"] for r in rounds),
            "ratio": statistics.median(ratios),
            "ratios": ratios,
            "single_request_ms": round(single[name] * 1000, 1),
            "slowest_under_load_s": max(r[name]["latency_max_s"] for r in rounds),
            "non_2xx": sum(r[name]["non_2xx"] for r in rounds),
            "socket_errors": [r[name]["socket_errors"] for r in rounds if r[name]["socket_errors"]],
        }
    return {"patients": found["patients"], "pages": result}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--connections", type=int, default=6)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pg-name", default="dendrite_bench_pages")
    parser.add_argument(
        "--admin-url", default=os.environ.get(
            "BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"))  # fmt: skip
    parser.add_argument("--run-dir", type=Path, default=ROOT / "var" / "bench-pages")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database if it holds the network of that size")  # fmt: skip
    parser.add_argument("--database-url", default="",
                        help="an existing database, never dropped")  # fmt: skip
    parser.add_argument("--dashboard", action="store_true", help="time the dashboard too")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.database_url:
        args.database = "sqlite" if args.database_url.startswith("sqlite") else "postgres"
    run_dir = args.run_dir / args.database
    run_dir.mkdir(parents=True, exist_ok=True)
    env = environment(args, run_dir, free_port())
    build(args, env, run_dir)
    report: dict[str, Any] = {
        "database": args.database,
        "workers": args.workers,
        "connections": args.connections,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "cpus": os.cpu_count(),
        "load_average_before": os.getloadavg(),
    }
    report |= measure(args, env, run_dir)
    report["load_average_after"] = os.getloadavg()
    if args.dashboard:
        out = manage(env, run_dir / "setup.log", "shell", "-c",
                     "from bench.pages.dashboard import main; main()")  # fmt: skip
        report["dashboard"] = [  # one line per scope: every location, then the filters
            json.loads(x.removeprefix("BENCH-DASHBOARD "))
            for x in out.splitlines()
            if x.startswith("BENCH-DASHBOARD ")
        ]
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
