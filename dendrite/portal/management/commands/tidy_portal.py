from typing import Any

from django.core.management.base import BaseCommand

from dendrite.portal.actions import tidy


class Command(BaseCommand):
    help = "End idle portal sessions and delete old sign-in codes (a scheduled job)."

    def handle(self, *args: Any, **options: Any) -> None:
        ended, deleted = tidy()
        self.stdout.write(f"Ended {ended} idle portal sessions; deleted {deleted} old codes.")
