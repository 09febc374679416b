"""The audit trail under concurrent chart reads (run with ``make bench``, or on its own:
``DATABASE_URL=postgres://… .venv/bin/pytest bench/bench_audit_concurrency.py -s``).

Twenty staff each open patient charts as fast as the server answers, for a fixed time:
each one a process of its own (as gunicorn's sync workers are, so Python's lock between
threads does not hide the audit trail's), each with its own database connection, each
going through the chart view with Django's test client (the whole middleware stack,
sign-in and second factor, `get_patient_for` and its audit entry, the template).

The same reads are measured with auditing on and off, side by side in one run, in
alternating rounds (on, off, off, on, …) so that drift on a shared machine cancels out.
"Off" swaps `dendrite.audit.log.write` for a no-op inside the benchmark's processes only:
there is no setting that turns auditing off. The ratio (reads/s on ÷ off) is printed
against the target: auditing may cost at most half the throughput. Figures are in
docs/benchmarks.md ("Audit trail under concurrent reads").

PostgreSQL only: SQLite lets one writer in at a time whatever the audit trail does,
so the comparison would measure SQLite's lock rather than the trail's.

Tunable through the environment: DENDRITE_BENCH_STAFF (20), DENDRITE_BENCH_ROUND_SECONDS
(6) and DENDRITE_BENCH_ROUNDS (3 pairs).
"""

import multiprocessing
import os
import random
import time
from collections.abc import Callable, Iterator
from multiprocessing.sharedctypes import Synchronized
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from dendrite.accounts.models import Role, User
from dendrite.audit import log, triggers
from dendrite.audit.models import AuditEvent
from dendrite.conftest import make_location, make_patient, make_user, signed_in
from dendrite.controlled import triggers as controlled_triggers
from dendrite.patients.access import get_patient_for

STAFF = int(os.environ.get("DENDRITE_BENCH_STAFF", "20"))
ROUND_SECONDS = float(os.environ.get("DENDRITE_BENCH_ROUND_SECONDS", "6"))
ROUNDS = int(os.environ.get("DENDRITE_BENCH_ROUNDS", "3"))
SETTLE_SECONDS = 1.0  # after each switch, before counting: reads begun before it finish
PATIENTS = 60
TARGET = 0.5

STOP, AUDIT_ON, AUDIT_OFF = 0, 1, 2


def staff_member(read: Callable[[int], None], mode: Any, done: Any, seed: int) -> None:
    """One member of staff: open random charts until told to stop; count the reads."""
    connections.close_all()  # never share the parent's connection
    write: Callable[[AuditEvent], None] = log.write

    def switchable(event: AuditEvent) -> None:
        if mode.value == AUDIT_ON:
            write(event)

    log.write = switchable
    rng = random.Random(seed)  # noqa: S311 - which chart to open next
    while mode.value != STOP:
        read(rng.randrange(PATIENTS))
        with done.get_lock():
            done.value += 1
    connections.close_all()


def measure(mode: "Synchronized[int]", done: "Synchronized[int]", setting: int) -> float:
    """Switch every process to `setting`, let it settle, and count reads for a round."""
    mode.value = setting
    time.sleep(SETTLE_SECONDS)
    before, started = done.value, time.monotonic()
    time.sleep(ROUND_SECONDS)
    return (done.value - before) / (time.monotonic() - started)


def run_rounds(readers: list[Callable[[int], None]]) -> dict[int, list[float]]:
    """Start one process per reader; alternate auditing on and off; reads/s of each round."""
    context = multiprocessing.get_context("fork")
    mode = context.Value("i", AUDIT_ON)
    done = context.Value("q", 0)
    connections.close_all()
    workers = [
        context.Process(target=staff_member, args=(read, mode, done, number))
        for number, read in enumerate(readers)
    ]
    for worker in workers:
        worker.start()
    rates: dict[int, list[float]] = {AUDIT_ON: [], AUDIT_OFF: []}
    try:
        for setting in (AUDIT_ON, AUDIT_OFF):  # a pair of rounds to warm up, not counted
            measure(mode, done, setting)
        for number in range(ROUNDS):
            order = (AUDIT_ON, AUDIT_OFF) if number % 2 == 0 else (AUDIT_OFF, AUDIT_ON)
            for setting in order:
                rates[setting].append(measure(mode, done, setting))
    finally:
        mode.value = STOP
        for worker in workers:
            worker.join(timeout=120)
    assert all(worker.exitcode == 0 for worker in workers)
    return rates


def report(what: str, rates: dict[int, list[float]]) -> float:
    on, off = sum(rates[AUDIT_ON]) / ROUNDS, sum(rates[AUDIT_OFF]) / ROUNDS
    ratio = on / off
    verdict = "meets" if ratio >= TARGET else "MISSES"
    print(f"\n{what}: {len(rates[AUDIT_ON])}+{len(rates[AUDIT_OFF])} rounds of {ROUND_SECONDS:g} s")
    for label, setting, mean in (("on ", AUDIT_ON, on), ("off", AUDIT_OFF, off)):
        each = ", ".join(f"{rate:.1f}" for rate in rates[setting])
        print(f"  auditing {label}: {each} reads/s (mean {mean:.1f})")
    print(f"  ratio {ratio:.0%}: {verdict} the target of {TARGET:.0%}")
    return ratio


@pytest.fixture(scope="module")
def guard_back(django_db_blocker: Any) -> Iterator[None]:
    """The test's data is committed (other processes read it) and emptied afterwards by
    flushing every table, which the append-only triggers refuse: they are lifted after
    the test and put back here, after the flush."""
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        triggers.install(cursor, connection.vendor)
        controlled_triggers.install(cursor, connection.vendor)


@pytest.fixture
def staff(guard_back: None, transactional_db: None) -> Iterator[tuple[list[User], list[int]]]:
    """Twenty nurses at Boston and its patients, committed."""
    boston = make_location("boston", "Boston", "Boston", "MA")
    patients = [make_patient(boston, f"Pat{n}", f"Bench{n}").pk for n in range(PATIENTS)]
    nurses = [make_user(f"nurse{n}_bench", Role.NURSE, boston) for n in range(STAFF)]
    yield nurses, patients
    with connection.cursor() as cursor:
        triggers.remove(cursor, connection.vendor)
        controlled_triggers.remove(cursor, connection.vendor)
        cursor.execute(f"DELETE FROM {triggers.TABLE}")  # noqa: S608 (a constant)


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: on SQLite one writer at a time is the database's own lock",
)


@postgresql_only
def test_chart_pages_read_by_20_staff_with_and_without_auditing(staff: Any, capsys: Any) -> None:
    """The whole chart page, through the middleware, the view and its template."""
    nurses, patients = staff
    charts = [reverse("patients:chart", args=[pk]) for pk in patients]

    def reader(client: Client) -> Callable[[int], None]:
        def read(number: int) -> None:
            response = client.get(charts[number])
            if response.status_code != 200:
                raise SystemExit(f"chart read answered {response.status_code}")

        return read

    entries = AuditEvent.objects.count()
    rates = run_rounds([reader(signed_in(nurse)) for nurse in nurses])
    assert AuditEvent.objects.count() > entries  # auditing was really on
    assert log.verify_chain() is None
    with capsys.disabled():
        report(f"Chart pages, {STAFF} staff", rates)


@postgresql_only
def test_audited_chart_fetches_by_20_staff_with_and_without_auditing(
    staff: Any, capsys: Any
) -> None:
    """Only what every chart read does first: `get_patient_for` and its audit entry (the
    heaviest share of a read the audit trail can have)."""
    nurses, patients = staff

    def reader(nurse: User) -> Callable[[int], None]:
        def read(number: int) -> None:
            get_patient_for(nurse, patients[number])

        return read

    entries = AuditEvent.objects.count()
    rates = run_rounds([reader(nurse) for nurse in nurses])
    assert AuditEvent.objects.count() > entries
    assert log.verify_chain() is None
    with capsys.disabled():
        report(f"Audited chart fetches only, {STAFF} staff", rates)
