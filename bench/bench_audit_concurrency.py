"""The audit trail under concurrent chart reads (run with ``make bench``, or on its own:
``DATABASE_URL=postgres://… .venv/bin/pytest bench/bench_audit_concurrency.py -s``).

Twenty staff each open patient charts as fast as the server answers, for a fixed time:
each one a process of its own (as gunicorn's sync workers are, so Python's lock between
threads does not hide the audit trail's), each with its own database connection, each
going through the chart view with Django's test client (the whole middleware stack,
sign-in and second factor, `get_patient_for` and its audit entry, the template).

The same reads are measured in three modes, side by side in one run, in rounds whose
order rotates (so that drift on a shared machine cancels out): auditing as it was
before (each entry chained as it is written, under one lock held until commit:
`locked_write` below, the old writer's statements), auditing as it is now (each entry
sealed and written without a lock, `dendrite.audit.log.write`, and chained in batches
by a chainer process every second, as the scheduler's `audit_chain` does every
minute), and auditing off. Each mode swaps `dendrite.audit.log.write` inside the
benchmark's processes only: there is no setting that turns auditing off. The ratios
(reads/s with auditing ÷ without) are printed against the target: auditing may cost
at most half the throughput. The chain both writers and the chainer built must verify.
Figures are in docs/benchmarks.md ("Audit trail under concurrent reads").

PostgreSQL only: SQLite lets one writer in at a time whatever the audit trail does,
so the comparison would measure SQLite's lock rather than the trail's.

Tunable through the environment: DENDRITE_BENCH_STAFF (20), DENDRITE_BENCH_ROUND_SECONDS
(6) and DENDRITE_BENCH_ROUNDS (3 per mode).
"""

import multiprocessing
import os
import random
import time
from collections.abc import Callable, Iterator
from multiprocessing.sharedctypes import Synchronized
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from dendrite.accounts.models import Role, User
from dendrite.audit import chain, log, triggers
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

STOP, LOCKED, SEALED, OFF = 0, 1, 2, 3
MODES = {
    LOCKED: "chained as written, under one lock (before)",
    SEALED: "sealed, chained in batches afterwards (now)",
    OFF: "auditing off",
}
CHAIN_EVERY_SECONDS = 1.0  # the scheduler chains every minute: this is harsher


def locked_write(event: AuditEvent) -> None:
    """The write as it was before the entries were chained afterwards (the same
    statements as dendrite/audit/log.py at commit 5555101): take the chain's lock, read
    its head, link the entry to it and insert it, holding the lock until commit. The
    place in the chain comes with it, so that it and the chainer share one chain."""
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [log.CHAIN_LOCK_ID])
        head = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq")
        seq, previous = head.values_list("seq", "hash").first() or (0, chain.GENESIS)
        fields = event.chained_fields()
        event.seal = chain.seal(settings.AUDIT_CHAIN_KEY, fields)
        event.seq, event.prev_hash = seq + 1, previous
        event.hash = chain.entry_hash(settings.AUDIT_CHAIN_KEY, previous or "", fields)
        event.save()


def staff_member(read: Callable[[int], None], mode: Any, done: Any, seed: int) -> None:
    """One member of staff: open random charts until told to stop; count the reads."""
    connections.close_all()  # never share the parent's connection
    sealed_write: Callable[[AuditEvent], None] = log.write
    writers = {LOCKED: locked_write, SEALED: sealed_write}

    def switchable(event: AuditEvent) -> None:
        write = writers.get(mode.value)
        if write is not None:
            write(event)

    log.write = switchable
    rng = random.Random(seed)  # noqa: S311 - which chart to open next
    while mode.value != STOP:
        read(rng.randrange(PATIENTS))
        with done.get_lock():
            done.value += 1
    connections.close_all()


def chainer(mode: Any) -> None:
    """The scheduler's audit_chain, every second rather than every minute."""
    connections.close_all()
    while mode.value != STOP:
        log.chain_pending()
        time.sleep(CHAIN_EVERY_SECONDS)
    connections.close_all()


def measure(mode: "Synchronized[int]", done: "Synchronized[int]", setting: int) -> float:
    """Switch every process to `setting`, let it settle, and count reads for a round."""
    mode.value = setting
    time.sleep(SETTLE_SECONDS)
    before, started = done.value, time.monotonic()
    time.sleep(ROUND_SECONDS)
    return (done.value - before) / (time.monotonic() - started)


def run_rounds(readers: list[Callable[[int], None]]) -> dict[int, list[float]]:
    """Start one process per reader and a chainer; rotate the modes round by round
    (each mode first, second and third in turn); reads/s of each round."""
    context = multiprocessing.get_context("fork")
    mode = context.Value("i", OFF)
    done = context.Value("q", 0)
    connections.close_all()
    processes = [
        context.Process(target=staff_member, args=(read, mode, done, number))
        for number, read in enumerate(readers)
    ]
    processes.append(context.Process(target=chainer, args=(mode,)))
    for process in processes:
        process.start()
    rates: dict[int, list[float]] = {setting: [] for setting in MODES}
    order = list(MODES)
    try:
        for setting in order:  # a round of each to warm up, not counted
            measure(mode, done, setting)
        for number in range(ROUNDS):
            for setting in order[number % 3 :] + order[: number % 3]:
                rates[setting].append(measure(mode, done, setting))
    finally:
        mode.value = STOP
        for process in processes:
            process.join(timeout=120)
    assert all(process.exitcode == 0 for process in processes)
    return rates


def report(what: str, rates: dict[int, list[float]]) -> None:
    means = {setting: sum(each) / len(each) for setting, each in rates.items()}
    print(f"\n{what}: {ROUNDS} rounds of {ROUND_SECONDS:g} s per mode, modes rotated")
    for setting, label in MODES.items():
        each = ", ".join(f"{rate:.1f}" for rate in rates[setting])
        print(f"  {label}: {each} reads/s (mean {means[setting]:.1f})")
    for setting in (LOCKED, SEALED):
        ratio = means[setting] / means[OFF]
        verdict = "meets" if ratio >= TARGET else "MISSES"
        print(f"  {MODES[setting]}: {ratio:.0%} of auditing off, {verdict} the target of 50%")


def check_trail(entries_before: int) -> None:
    """Auditing was really on, and the chain the two writers and the chainer built holds."""
    assert AuditEvent.objects.count() > entries_before
    log.chain_pending()
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert log.verify_chain() is None


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
    check_trail(entries)
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
    check_trail(entries)
    with capsys.disabled():
        report(f"Audited chart fetches only, {STAFF} staff", rates)
