from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from dendrite.demo.staff import demo_key


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo user (debug mode only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo codes are only available with DENDRITE_DEBUG=1.")
        self.stdout.write(f"{totp(demo_key(options['username'])):06d}")
