from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dendrite.audit.log import verify_chain
from dendrite.audit.models import AuditEvent


class Command(BaseCommand):
    help = "Walk the audit trail's hash chain and name the first broken link, if any."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = verify_chain()
        if broken is not None:
            raise CommandError(f"Audit chain broken at entry {broken.entry_id}: {broken.reason}.")
        count = AuditEvent.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {count} entries verified."))
