"""Load and fault tests against a production-profile instance of its own.

    .venv/bin/python -m bench.load                     # every scenario, full size
    .venv/bin/python -m bench.load mix --users 50      # one scenario, smaller
    bin/load-test --small                              # every scenario, small (a minute or two)

Needs PostgreSQL (`--admin-url`, a role that may create databases); makes and drops
the database `dendrite_loadfault`. Loopback only. Figures: docs/benchmarks.md.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from . import scenarios
from .instance import ROOT, Instance

SCENARIOS = ["mix", "kill-web-worker", "kill-web-master", "pg-outage", "kill-worker"]


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def restarts(instance: Instance) -> dict[str, int]:
    return {name: service.restarts for name, service in instance.services.items()}


def run(instance: Instance, name: str, args: argparse.Namespace) -> dict[str, Any]:
    before = restarts(instance)
    started_load = load_average()
    if name == "mix":
        result = scenarios.mixed(instance, users=args.users, seconds=args.seconds)
        result.pop("samples")
    elif name == "kill-web-worker":

        def kill_two() -> list[int]:
            first = instance.kill_web_worker()
            time.sleep(1.5 * args.fault_after)
            return [first, instance.kill_web_worker()]

        result = scenarios.burst(
            instance, count=args.burst, fault=kill_two, fault_after=args.fault_after
        )
    elif name == "kill-web-master":
        web = instance.services["web"]
        starts = web.starts
        result = scenarios.burst(
            instance,
            count=args.burst,
            fault=instance.kill_web_master,
            fault_after=args.fault_after,
            retries=15,
        )
        while web.starts == starts:  # the supervisor starts it again, as systemd would
            time.sleep(0.2)
        instance.wait_ready()
    elif name == "pg-outage":
        down, up = args.outage_at, args.outage_at + args.outage_seconds

        def outage(start: float) -> None:
            time.sleep(max(0.0, start + down - time.monotonic()))
            going = instance.server_restart if args.real_restart else instance.database_outage
            with going():
                time.sleep(max(0.0, start + up - time.monotonic()))

        result = scenarios.mixed(
            instance, users=args.outage_users, seconds=args.outage_total, during=outage
        )
        result["windows"] = scenarios.outage_windows(
            result.pop("samples"), result["start"], down, up
        )
        result["outage"] = {"from_s": down, "to_s": up}
        result["quiet_outage"] = scenarios.quiet_outage(instance)
    elif name == "kill-worker":
        result = scenarios.worker_killed(instance, count=args.burst, kills=args.worker_kills)
    else:
        raise SystemExit(f"unknown scenario {name}")
    result.pop("start", None)
    result.pop("since", None)
    result.pop("sent", None)
    after = restarts(instance)
    result["restarts"] = {k: after[k] - before[k] for k in after}
    result["load_average"] = {"start": started_load, "end": load_average()}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "scenario", nargs="*", help=f"some of {', '.join(SCENARIOS)}; all by default"
    )
    parser.add_argument("--small", action="store_true", help="every number small (smoke run)")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--outage-users", type=int, default=50)
    parser.add_argument("--outage-total", type=float, default=40)
    parser.add_argument("--outage-at", type=float, default=12)
    parser.add_argument("--outage-seconds", type=float, default=5)
    parser.add_argument("--worker-kills", type=int, default=3)
    parser.add_argument(
        "--real-restart",
        action="store_true",
        help="pg-outage stops and starts the whole PostgreSQL server (pg_ctlcluster) "
        "instead of cutting this database's connections; only on a machine of your own",
    )
    parser.add_argument(
        "--fault-after",
        type=float,
        default=1.0,
        help="seconds into a burst when the web process is killed",
    )
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--database", default="dendrite_loadfault")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the database a --keep run left (no set-up; figures less clean)",
    )
    parser.add_argument("--out", type=Path, default=None, help="where to write report.json")
    args = parser.parse_args(argv)
    if args.small:
        args.users, args.seconds, args.burst = 10, 12, 12
        args.outage_users, args.outage_total, args.outage_at, args.outage_seconds = 8, 16, 5, 3
        args.worker_kills, args.fault_after = 2, 0.2
    chosen = args.scenario or SCENARIOS
    if unknown := set(chosen) - set(SCENARIOS):
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    base = ROOT / "var" / "bench-load"
    run_dir = base / time.strftime("%Y%m%d-%H%M%S")
    run_dir.mkdir(parents=True, exist_ok=True)
    instance = Instance(run_dir, base / "var", database=args.database, admin_url=args.admin_url)
    report: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "cpus": os.cpu_count(),
        "load_average_before": load_average(),
        "run_dir": str(run_dir),
    }
    if args.reuse and instance.exists():
        print(f"Reusing {args.database}; logs in {run_dir}", flush=True)
    else:
        print(f"Setting up {args.database}; logs in {run_dir} …", flush=True)
        instance.create()
    try:
        instance.start()
        report["web_workers"] = len(instance.web_workers())
        for name in chosen:
            print(f"— {name} (load average {load_average()})", flush=True)
            report[name] = run(instance, name, args)
            print(json.dumps(report[name], indent=1, default=str), flush=True)
    finally:
        instance.stop()
        if not args.keep:
            instance.drop()
    out = args.out or run_dir / "report.json"
    out.write_text(json.dumps(report, indent=1, default=str))
    print(f"Report: {out}")
    return 0 if passed(report) else 1


def passed(report: dict[str, Any]) -> bool:
    """0 errors under load, 0 lost, nothing sent twice or never, no error after an outage."""
    ok = True
    for name in SCENARIOS:
        result = report.get(name)
        if not result:
            continue
        d = result["delivery"]
        bad = d["lost"] + d["staff_notifications_missing"] + d["staff_notifications_twice"]
        bad += d["acknowledgements_missing"] + d["acknowledgements_twice"]
        if name == "mix":
            bad += result["all"]["errors"]
        if name == "pg-outage":
            bad += result["windows"]["before"]["errors"] + result["windows"]["after"]["errors"]
            bad += result["restarts"]["web"] + result["quiet_outage"]["after"]["errors"]
        if bad:
            print(f"FAILED: {name}", file=sys.stderr)
            ok = False
    return ok


if __name__ == "__main__":
    raise SystemExit(main())
