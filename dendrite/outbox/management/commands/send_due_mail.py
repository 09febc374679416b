from typing import Any

from django.core.management.base import BaseCommand

from dendrite import mail


class Command(BaseCommand):
    help = (
        "Queue again every e-mail that is due and not sent: its task was lost, or the worker "
        "that claimed it died (its lease ran out). Run it every minute from cron, next to "
        "the worker: * * * * * manage.py send_due_mail. An e-mail is still sent only once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = mail.sweep()
        if options["verbosity"] > 1 or count:
            self.stdout.write(f"Queued {count} e-mail(s).")
