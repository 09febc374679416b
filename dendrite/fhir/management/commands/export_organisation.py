from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dendrite.clinics.models import Organization
from dendrite.fhir import exit as exit_archive


class Command(BaseCommand):
    help = (
        "Write everything of one organisation (patients and records, documents, audit trail, "
        "ketamine log) to one archive for the clinic's next system: FHIR NDJSON, a CSV per "
        "table, the documents, a manifest with checksums. See docs/operations.md."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--organisation", help="Its id or short name; may be left out if there is only one."
        )
        parser.add_argument("--out", required=True, help="Where to write the archive (.zip).")

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = options["organisation"]
        found = Organization.objects.all()
        if chosen:
            found = found.filter(pk=int(chosen)) if chosen.isdigit() else found.filter(slug=chosen)
        organizations = list(found[:2])
        if not organizations:
            raise CommandError("No such organisation.")
        if len(organizations) > 1:
            raise CommandError(
                "This server holds several organisations: name one with --organisation."
            )
        manifest = exit_archive.export_organization(organizations[0], Path(options["out"]))
        files = manifest["files"]
        rows = sum(f.get("rows", 0) for f in files.values())
        resources = sum(f.get("resources", 0) for f in files.values())
        documents = sum(1 for name in files if name.startswith("documents/"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {organizations[0].name}: {rows} rows, {resources} FHIR resources, "
                f"{documents} documents, {manifest['audit']['entries']} audit entries, "
                f"to {options['out']}."
            )
        )
        for name in manifest["documents_missing"]:
            self.stderr.write(f"Missing from storage already (not in the archive): {name}")
