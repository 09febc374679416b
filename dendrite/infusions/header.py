"""What the infusions app adds to every staff page (dendrite/context_processors.py):
the banner of unacknowledged chairside alerts at the user's locations, read live on
every page. The banner names the chair, never the patient, so every staff member of the
location may see it."""

from typing import Any

from django.db.models import Subquery
from django.utils.dateparse import parse_datetime

from dendrite.accounts.models import User
from dendrite.context_processors import Figure, Staff, first_rows

from .models import ChairsideAlert

BANNER_LIMIT = 20


def _open(staff: Staff) -> Subquery:
    open_here = ChairsideAlert.objects.open().filter(location__in=staff.locations)
    return first_rows(
        open_here,  # the oldest first (the model's order)
        BANNER_LIMIT,
        appointment_id="infusion__appointment_id",
        location_name="location__name",
        chair_name="infusion__appointment__chair__name",
        raised_at="raised_at",
        pk="pk",
    )


def _oldest_first(user: User, alerts: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return sorted(alerts or [], key=lambda alert: (parse_datetime(alert["raised_at"]), alert["pk"]))


FIGURES = [Figure("open_chairside_alerts", read=_open, show=_oldest_first)]
