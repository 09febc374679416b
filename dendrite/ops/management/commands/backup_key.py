from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from pyrage import x25519


class Command(BaseCommand):
    help = (
        "Make a new age key pair for backups: the secret key goes to the file given (keep "
        "it off this server, e.g. in the clinic's password manager and a safe), the public "
        "key is printed for DENDRITE_BACKUP_RECIPIENTS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("identity_file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["identity_file"]
        if path.exists():
            raise CommandError(f"{path} exists already: choose a new file.")
        identity = x25519.Identity.generate()
        path.touch(mode=0o600)
        path.write_text(f"# Dendrite backup key\n{identity}\n")
        self.stdout.write(f"Secret key written to {path}. Public key:\n{identity.to_public()}")
