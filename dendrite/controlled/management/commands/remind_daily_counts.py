from typing import Any

from django.core.management.base import BaseCommand

from dendrite.controlled import reminders


class Command(BaseCommand):
    help = (
        "Remind the nurses of each open location with ketamine in stock whose daily count "
        "is not signed by its due time (once a day per location). Run it every few minutes "
        "from cron: */5 * * * * manage.py remind_daily_counts."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = reminders.sweep()
        if options["verbosity"] > 1 or count:
            self.stdout.write(f"Reminded {count} location(s).")
