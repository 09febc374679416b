from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dendrite.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore an encrypted backup into this instance's empty database and documents "
        "folder, then verify the audit trail. Needs the clinic's age identity file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The .tar.age backup file.")
        parser.add_argument(
            "--identity", type=Path, required=True, help="File holding the age secret key."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(options["archive"], options["identity"])
        except (BackupError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {manifest['made_at']} "
            f"({len(manifest['files'])} files checked)."
        )
        call_command("audit_verify", "--no-checkpoint", stdout=self.stdout)
