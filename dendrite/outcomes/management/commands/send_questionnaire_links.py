from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from dendrite.outcomes import actions, sweep


class Command(BaseCommand):
    help = (
        "Send the questionnaire links that are due (before each measured visit, at the "
        "check-ins after an induction series) and expire the ones past their time; a "
        "missed check-in opens a task for the front desk. Run it every minute from cron: "
        "* * * * * manage.py send_questionnaire_links. Each link is sent once, however "
        "often this runs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = sweep.send_due(timezone.now())
        expired = actions.expire_lapsed()
        if options["verbosity"] > 1 or sent or expired:
            self.stdout.write(f"Sent {sent} questionnaire link(s); {expired} expired.")
