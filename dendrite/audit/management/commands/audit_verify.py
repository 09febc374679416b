from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dendrite.audit import checkpoint
from dendrite.audit.log import TamperedEntry, chain_pending, verify_chain
from dendrite.audit.models import AuditEvent

from .audit_chain import report_waiting


class Command(BaseCommand):
    help = (
        "Chain the entries waiting to be chained (saying so if any waited too long), walk "
        "the audit trail's hash chain, check it against every checkpoint of its head (so "
        "removed newest entries are found too) and every entry still waiting against its "
        "seal, name the first broken link if any, and write a new checkpoint when all is "
        "well."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-checkpoint", action="store_true", help="Check only; write no checkpoint."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoints = checkpoint.read()
        except checkpoint.ForgedCheckpoint as forged:
            raise CommandError(f"Audit checkpoints tampered with: {forged}.") from forged
        report_waiting(self)
        try:
            chain_pending()
        except TamperedEntry as tampered:  # a changed entry is never chained
            broken = tampered.broken
        else:
            broken = verify_chain(checkpoints)
        if broken is not None:
            raise CommandError(f"Audit chain broken at entry {broken.entry_id}: {broken.reason}.")
        count = AuditEvent.objects.count()
        anchored = checkpoint.latest(checkpoints)
        against = f", matching the checkpoint of {anchored.at}" if anchored else ""
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {count} entries verified{against}.")
        )
        if not options["no_checkpoint"]:
            checkpoint.write(checkpoint.head())
