from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dendrite.audit import checkpoint
from dendrite.audit.log import TamperedEntry, chain_pending


class Command(BaseCommand):
    help = (
        "Append a signed checkpoint of the audit chain's head to "
        "DENDRITE_AUDIT_CHECKPOINT_FILE and the log, after checking that the trail still "
        "holds what the last checkpoint saw. Run it from cron every few minutes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            last = checkpoint.latest(checkpoint.read())
        except checkpoint.ForgedCheckpoint as forged:
            raise CommandError(f"Audit checkpoints tampered with: {forged}.") from forged
        broken = checkpoint.head_matches(last) if last else None
        if broken is not None:
            # Never anchor a trail that was cut short: the next check must still see it.
            raise CommandError(f"Audit chain broken at entry {broken.entry_id}: {broken.reason}.")
        try:
            chain_pending()  # anchor the newest entries too, not only those chained already
        except TamperedEntry as tampered:
            raise CommandError(
                f"Audit chain broken at entry {tampered.broken.entry_id}: {tampered}."
            ) from tampered
        head = checkpoint.head()
        checkpoint.write(head)
        self.stdout.write(f"Audit checkpoint written: entry {head.entry_id}, {head.count} entries.")
