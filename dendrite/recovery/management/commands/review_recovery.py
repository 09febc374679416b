from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from dendrite.recovery import actions


class Command(BaseCommand):
    help = (
        "Review every patient with a drinking day in the last 30 days and open the "
        "renewed-treatment task where heavy drinking has returned (each saved day queues "
        "this review too; the sweep catches a lost task or a change of the clinic's "
        "definition). Run it daily from cron: 40 6 * * * manage.py review_recovery. "
        "A task is opened once per episode, however often this runs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = actions.sweep(timezone.localdate())
        if options["verbosity"] > 1 or count:
            self.stdout.write(f"{count} patient(s) with heavy drinking returned, each with a task.")
