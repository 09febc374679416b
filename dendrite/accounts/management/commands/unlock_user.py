from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dendrite.accounts.actions import unlock_from_server
from dendrite.accounts.models import User


class Command(BaseCommand):
    help = (
        "Unlock a staff account locked after failed sign-ins (at every address), and "
        "optionally an address locked for every account. For the server's operator: "
        "the way back when no clinic admin can sign in."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username", nargs="?", default="")
        parser.add_argument("--address", default="", help="Also unlock this client address.")

    def handle(self, *args: Any, **options: Any) -> None:
        username, address = options["username"], options["address"]
        if not (username or address):
            raise CommandError("Name a username, an --address, or both.")
        user = User.objects.filter(username=username).first() if username else None
        if username and user is None:
            raise CommandError(f"There is no account with the username {username!r}.")
        count = unlock_from_server(user, username=username, address=address)
        self.stdout.write(self.style.SUCCESS(f"Unlocked ({count} failed-sign-in records cleared)."))
