import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from dendrite.ops import scheduler


class Command(BaseCommand):
    help = (
        "Run the scheduled jobs (settings.SCHEDULED_JOBS): reminders, safety-alert "
        "escalations, e-mail, pruning, the audit check, backups. Run one or more as a "
        "supervised process next to the app; each job runs at most once per due time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="One tick, then exit.")
        parser.add_argument(
            "--interval", type=float, default=15.0, help="Seconds between ticks (default 15)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            for run in scheduler.tick():
                self.stdout.write(f"{run.job}: {run.get_outcome_display().lower()}")
            if options["once"] or stopping:
                return
            waited = 0.0
            while waited < options["interval"] and not stopping:
                time.sleep(0.5)
                waited += 0.5
            if stopping:
                return
            close_old_connections()  # a database restarted meanwhile is reconnected
