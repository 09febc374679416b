from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dendrite.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Make an encrypted backup (database, documents, audit checkpoints) in "
        "DENDRITE_BACKUP_DIR, encrypted to DENDRITE_BACKUP_RECIPIENTS; keep the newest "
        "DENDRITE_BACKUP_KEEP."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", help="Folder for this backup (default DENDRITE_BACKUP_DIR).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup(target_dir=options["to"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written: {path}"))
