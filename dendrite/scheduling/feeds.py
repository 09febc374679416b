"""Calendar feeds: who may have one, what it shows, and the token that opens it.

- A location or chair feed: anyone who works at that location.
- A staff feed: the staff member themself, or a clinic admin of the location.
- Patients' initials appear only if the owner may see the schedule (front desk, nurses,
  prescribers); a clinic admin's feed shows visit types alone (scheduling/access.py).

The URL carries the token; only its digest is stored. A feed stops working the moment
it is revoked or its owner could no longer create it (deactivated, moved elsewhere).
Creating and revoking are actions (actions/feeds.py). Fetching is a read: it is audited
as one, and stamps when the feed was last used.
"""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from dendrite.audit.log import record

from . import ical
from .access import FEED_NAME_ROLES
from .models import Appointment, CalendarFeed, FeedKind, feed_token_digest

DAYS_BACK = 30
DAYS_AHEAD = 90


def may_have(user: Any, kind: str, location_id: int, staff: Any = None) -> bool:
    """Whether `user` may own a feed of this kind at this location."""
    if not (user.is_active and user.works_at(location_id)):
        return False
    if kind == FeedKind.STAFF:
        return staff is not None and (
            staff.pk == user.pk or (user.is_clinic_admin and staff.works_at(location_id))
        )
    return True


def is_live(feed: CalendarFeed) -> bool:
    return feed.revoked_at is None and may_have(feed.owner, feed.kind, feed.location_id, feed.staff)


def shows_patients(feed: CalendarFeed) -> bool:
    return feed.owner.role in FEED_NAME_ROLES


def feeds_of(user: Any) -> QuerySet[CalendarFeed]:
    return CalendarFeed.objects.filter(owner=user, revoked_at__isnull=True).select_related(
        "location", "chair", "staff"
    )


def title(feed: CalendarFeed) -> str:
    if feed.kind == FeedKind.CHAIR:
        return f"{feed.location.name} · {feed.chair.name}"
    if feed.kind == FeedKind.STAFF:
        return f"{feed.staff} at {feed.location.name}"
    return f"{feed.location.name}, all appointments"


def find_live(token: str) -> CalendarFeed | None:
    """The feed this token opens, or None whether it is unknown, revoked or dead."""
    feed = (
        CalendarFeed.objects.select_related("owner", "location", "chair", "staff")
        .filter(token_digest=feed_token_digest(token))
        .first()
    )
    return feed if feed is not None and is_live(feed) else None


def appointments_in(feed: CalendarFeed, now: dt.datetime) -> list[Appointment]:
    """The appointments that still hold, from DAYS_BACK ago to DAYS_AHEAD ahead."""
    appointments = Appointment.objects.holding().filter(
        location_id=feed.location_id,
        starts_at__gte=now - dt.timedelta(days=DAYS_BACK),
        starts_at__lt=now + dt.timedelta(days=DAYS_AHEAD),
    )
    if feed.kind == FeedKind.CHAIR:
        appointments = appointments.filter(chair_id=feed.chair_id)
    elif feed.kind == FeedKind.STAFF:
        appointments = appointments.filter(staff_id=feed.staff_id)
    return list(appointments.select_related("patient", "location", "appointment_type", "chair"))


def fetch(feed: CalendarFeed) -> bytes:
    """The feed as iCalendar, audited as a read by its owner."""
    now = timezone.now()
    appointments = appointments_in(feed, now)
    show_patients = shows_patients(feed)
    detail = {"ids": [a.pk for a in appointments], "patients_shown": show_patients}
    record("scheduling.calendarfeed.fetch", user=feed.owner, obj=feed, detail=detail)
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return ical.feed_ics(
        appointments,
        name=title(feed),
        show_patient=show_patients,
        staff_time=feed.kind == FeedKind.STAFF,
        tz=feed.location.tz,
    )
