from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dendrite.dashboard.actions import refresh_dashboards
from dendrite.scheduling.models import AppointmentType, OnlineBooking

from ...clinics import load_clinics
from ...controlled import count_demo_stock, load_controlled
from ...infusions import load_infusions
from ...measurement import load_measurement
from ...notes import load_notes
from ...outcome_trends import load_outcome_trends
from ...recovery import load_recovery
from ...requests import load_requests
from ...rota import load_rota
from ...schedule import load_schedule
from ...staff import DEMO_PASSWORD, load_users


class Command(BaseCommand):
    help = "Load the synthetic demo clinic and staff (idempotent; debug mode only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or settings.TESTING):
            raise CommandError(
                "Demo accounts have published passwords; load them only with DENDRITE_DEBUG=1."
            )
        for location in load_clinics(timezone.localdate()):
            AppointmentType.create_defaults(location)
            # The demo shows patients booking their own follow-ups and approved boosters.
            OnlineBooking.objects.get_or_create(
                location=location, defaults={"follow_ups": True, "boosters": True}
            )
        logins = load_users()
        load_schedule()
        load_rota(timezone.localdate())
        load_controlled()  # stock first: the demo infusions draw from it
        load_infusions()
        load_notes()
        count_demo_stock()
        load_measurement()  # plans, diagnoses, pre-visit questionnaires
        load_outcome_trends()  # after the infusions: the booster rule reads them
        load_recovery()
        load_requests()
        refresh_dashboards()  # the dashboard's figures at once
        if options["quiet"]:
            return
        self.stdout.write(self.style.SUCCESS("\nDemo logins (synthetic demo data only):"))
        self.stdout.write(f"  Password for every demo user: {DEMO_PASSWORD}")
        self.stdout.write(
            "  Add the TOTP secret to any authenticator app, or run "
            "`make totp USER=<username>` for the current code.\n"
        )
        wide = max(len(login.location) for login in logins) + 2
        self.stdout.write(f"  {'username':<22}{'role':<14}{'location':<{wide}}TOTP secret")
        for login in logins:
            self.stdout.write(
                f"  {login.username:<22}{login.role:<14}{login.location:<{wide}}{login.totp_secret}"
            )
        self.stdout.write("")
