from typing import Any

from django.core.management.base import BaseCommand

from dendrite.alerts import actions


class Command(BaseCommand):
    help = (
        "Run every safety-alert escalation that is due (its task was lost or the worker was "
        "down), queue again escalation messages a dead worker left, and ask the worker for "
        "a heartbeat. Run it every minute from cron, next to the worker: "
        "* * * * * manage.py escalate_safety_alerts. A message is still sent only once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = actions.sweep()
        if options["verbosity"] > 1 or count:
            self.stdout.write(f"Escalated {count} safety alert(s).")
