from typing import Any

from django.core.management.base import BaseCommand

from dendrite.fhir import exit as exit_archive
from dendrite.fhir.bulk import sweep


class Command(BaseCommand):
    help = (
        "Remove FHIR bulk exports and exit archives past their time (run by the scheduler, hourly)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{sweep()} export(s) removed.")
        self.stdout.write(f"{exit_archive.sweep()} exit archive(s) removed.")
