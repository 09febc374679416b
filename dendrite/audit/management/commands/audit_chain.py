import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dendrite.audit.log import TamperedEntry, chain_pending, waiting_since


class Command(BaseCommand):
    help = (
        "Chain the audit entries written since the last run (they are written sealed, "
        "and linked here in batches, in the order they were committed). The scheduler "
        "runs it every minute; audit_checkpoint and audit_verify run it first too."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report_waiting(self)
        try:
            chained = chain_pending()
        except TamperedEntry as tampered:
            raise CommandError(
                f"Audit chain broken at entry {tampered.broken.entry_id}: {tampered}."
            ) from tampered
        self.stdout.write(f"Audit entries chained: {chained}.")


def report_waiting(command: BaseCommand) -> None:
    """Say so when entries have waited longer than they should to be chained."""
    limit = settings.AUDIT_CHAIN_LATE_SECONDS
    count, oldest = waiting_since(dt.timedelta(seconds=limit))
    if count and oldest is not None:
        command.stderr.write(
            f"{count} audit entries waited more than {limit} s to be chained (the oldest "
            f"since {oldest.isoformat(timespec='seconds')}): is the scheduler running?"
        )
