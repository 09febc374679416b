from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dendrite.fhir import exit as exit_archive


class Command(BaseCommand):
    help = (
        "Put an exit archive (made by export_organisation) into this empty Dendrite: checks "
        "every checksum and the audit chain first, then restores every row, document and "
        "audit entry. See docs/operations.md."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="The archive's path.")

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] > 1
        try:
            summary = exit_archive.import_archive(
                Path(options["archive"]),
                progress=(lambda line: self.stdout.write(f"  {line}"))
                if verbose
                else (lambda line: None),
            )
        except exit_archive.ExitError as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {summary.organization}: {sum(summary.rows.values())} rows in "
                f"{len(summary.rows)} tables, {summary.documents} documents, "
                f"{summary.audit_entries} audit entries (chain verified)."
            )
        )
