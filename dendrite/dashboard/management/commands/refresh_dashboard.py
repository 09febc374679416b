from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dendrite.dashboard import actions


class Command(BaseCommand):
    help = (
        "Rebuild the clinic dashboard's summaries (every organisation, or the ones named), "
        "each organisation in one transaction. A scheduled job (settings.SCHEDULED_JOBS, "
        "every DENDRITE_DASHBOARD_REFRESH_MINUTES minutes); the page shows when it last ran."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", type=int, action="append", dest="organizations")

    def handle(self, *args: Any, **options: Any) -> None:
        for row in actions.refresh_dashboards(options["organizations"]):
            if options["verbosity"] > 1:
                self.stdout.write(f"Organisation {row.organization_id}: {row.seconds:.1f} s")
