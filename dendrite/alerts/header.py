"""What the alerts app adds to every staff page (dendrite/context_processors.py): the
banner of open safety alerts at the user's locations, and the warning that the task
worker, which sends the escalations, has stopped. Both are read live on every page."""

import datetime as dt
from typing import Any

from django.db.models import Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dendrite.accounts.models import User
from dendrite.context_processors import Figure, Staff, first_rows

from .actions import beat_is_stale, last_beat
from .models import SafetyAlert, Tier

BANNER_LIMIT = 20
RANK = {Tier.HIGH: 0, Tier.MODERATE: 1}


def _open(staff: Staff) -> Subquery:
    """What the banner shows of the (most urgent) open alerts at the user's locations."""
    open_here = SafetyAlert.objects.open().filter(location__in=staff.locations)
    return first_rows(
        open_here.by_urgency(),
        BANNER_LIMIT,
        pk="pk",
        location_id="location_id",
        location_name="location__name",
        unrouted_since="unrouted_since",
        tier="tier",
        acknowledged_at="acknowledged_at",
        raised_at="raised_at",
    )


def _by_urgency(user: User, alerts: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    # SafetyAlertQuerySet.by_urgency's order (the list comes back unordered).
    def urgency(alert: dict[str, Any]) -> tuple[object, ...]:
        raised = parse_datetime(alert["raised_at"])
        return (RANK.get(alert["tier"], 2), bool(alert["acknowledged_at"]), raised, alert["pk"])

    return sorted(alerts or [], key=urgency)


def _stale(user: User, beat: dt.datetime | None) -> bool:
    return beat_is_stale(beat, timezone.now())


FIGURES = [
    Figure("open_safety_alerts", read=_open, show=_by_urgency),
    Figure("worker_stale", read=lambda staff: Subquery(last_beat()), show=_stale),
]
