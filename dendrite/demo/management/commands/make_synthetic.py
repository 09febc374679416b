import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from dendrite.clinics.models import Organization
from dendrite.dashboard.actions import refresh_dashboards
from dendrite.patients.models import MrnCounter, Patient

from ...synthetic import network
from ...synthetic.build import Builder
from ...synthetic.writer import reset_sequences

REFUSED_REAL = (
    "This database holds patients who are not synthetic. make_synthetic writes only to a "
    "database without real patients: create an empty database, migrate it, and run it there."
)
REFUSED_AGAIN = (
    "This database already holds the synthetic network. Run make_synthetic on a fresh, "
    "migrated database."
)


class Command(BaseCommand):
    help = "Fill an empty database with a large synthetic clinic network (issue #17)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--patients", type=int, default=1000)
        parser.add_argument(
            "--locations",
            type=int,
            default=0,
            help="Default: one for about every 8,000 patients (2 to 20).",
        )
        parser.add_argument("--seed", type=int, default=17)
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="The day the data ends (YYYY-MM-DD); default today.",
        )
        parser.add_argument("--years", type=int, default=3, help="Years of history.")
        parser.add_argument("--chunk", type=int, default=500, help="Patients per write.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if Patient.objects.exclude(organization__slug=network.SLUG).exists():
            raise CommandError(REFUSED_REAL)
        if Organization.objects.filter(slug=network.SLUG).exists():
            raise CommandError(REFUSED_AGAIN)
        patients = options["patients"]
        if patients < 1:
            raise CommandError("--patients must be at least 1.")
        locations = options["locations"] or max(2, min(20, patients // 8000))
        today = options["today"] or timezone.localdate()
        span_days = 365 * options["years"]
        chairs, prescribers = network.sizes(patients, locations, span_days * 5 // 7)
        started = time.monotonic()
        with transaction.atomic():
            when = dt.datetime.combine(today - dt.timedelta(days=span_days + 30), dt.time(), dt.UTC)
            sites = network.build(locations, chairs, prescribers, when)
            counter = MrnCounter.objects.create(organization=sites[0].location.organization)
        builder = Builder(sites, patients, options["seed"], today, span_days)
        chunks = builder.chunks(options["chunk"])
        with tqdm(
            total=patients,
            unit="patients",
            disable=options["no_progress"],
            desc="Synthetic patients",
        ) as bar:
            while True:
                # One transaction a chunk: the database's memory stays flat too.
                with transaction.atomic():
                    made = next(chunks, 0)
                    reset_sequences([*network.MODELS, *builder.tables])
                    counter.last_number = builder.mrn
                    counter.save(update_fields=["last_number"])
                if not made:
                    break
                bar.update(made)
        # Fresh planner statistics: without them PostgreSQL took the new tables for tiny
        # ones and the dashboard scanned every appointment once per lead (minutes).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        refresh_dashboards()  # the dashboard's figures at once, not in 15 minutes
        self.summary(builder, locations, chairs, prescribers, time.monotonic() - started)

    def summary(
        self, builder: Builder, locations: int, chairs: int, prescribers: int, elapsed: float
    ) -> None:
        write = self.stdout.write
        write(self.style.SUCCESS("\nSynthetic network written (synthetic data only)."))
        write(f"  {locations} locations, each with {chairs} chairs and {prescribers} prescribers")
        write(f"  {'table':<40}{'rows':>12}{'writing (s)':>14}")
        total = 0
        for table in builder.tables.values():
            write(f"  {table.model._meta.db_table:<40}{table.written:>12,}{table.seconds:>14.1f}")
            total += table.written
        write(f"  {'all':<40}{total:>12,}")
        answers = builder.answers
        write(f"  questionnaire answers (items){answers:>22,}")
        write(f"  elapsed {elapsed:,.1f} s; database size {database_size()}")


def database_size() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            return str(cursor.fetchone()[0])
    name = connection.settings_dict["NAME"]
    path = Path(str(name))
    return f"{path.stat().st_size / 1e6:,.1f} MB" if path.exists() else "in memory"
