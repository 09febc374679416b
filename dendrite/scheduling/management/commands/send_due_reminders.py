from typing import Any

from django.core.management.base import BaseCommand

from dendrite.scheduling import messaging, reminders


class Command(BaseCommand):
    help = (
        "Queue again every reminder and every other message to a patient (booking "
        "confirmations, waitlist offers) that is due and not sent: its task was lost, or "
        "the worker that claimed it died (its lease ran out). Run it every minute from "
        "cron, next to the worker: * * * * * manage.py send_due_reminders. A message is "
        "still sent only once, however often this runs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = reminders.sweep()
        others = messaging.sweep()
        if options["verbosity"] > 1 or count or others:
            self.stdout.write(f"Queued {count} reminder(s) and {others} other message(s).")
