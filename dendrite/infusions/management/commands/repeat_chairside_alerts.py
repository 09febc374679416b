from typing import Any

from django.core.management.base import BaseCommand

from dendrite.infusions import alerting


class Command(BaseCommand):
    help = (
        "Send every chairside-alert round that is due (its task was lost or the worker was "
        "down) and queue again the messages a dead worker left. Run it every minute from "
        "cron, next to the worker: * * * * * manage.py repeat_chairside_alerts. A message is "
        "still sent only once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = alerting.sweep()
        if options["verbosity"] > 1 or count:
            self.stdout.write(f"Sent {count} chairside-alert round(s).")
