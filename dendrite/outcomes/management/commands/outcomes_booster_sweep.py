from typing import Any

from django.core.management.base import BaseCommand

from dendrite.outcomes.booster import sweep


class Command(BaseCommand):
    help = (
        "Open a booster review for each patient whose PHQ-9 has risen again after a"
        " response (run from cron; looks at questionnaires recorded since its last run)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        tasks = sweep()
        self.stdout.write(f"{len(tasks)} booster review task(s) open or already opened.")
