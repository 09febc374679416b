"""Calendar feeds: create one (its token is shown once), revoke one. Who may have which
feed and what it shows: feeds.py."""

from django.db import transaction
from django.utils import timezone

from dendrite.accounts.models import User
from dendrite.audit.log import record
from dendrite.clinics.models import Chair, Location

from ..models import CalendarFeed, feed_token_digest, new_feed_token


@transaction.atomic
def create_feed(
    owner: User,
    kind: str,
    location: Location,
    *,
    chair: Chair | None = None,
    staff: User | None = None,
) -> tuple[CalendarFeed, str]:
    """A new feed and its token. The token is returned once and never stored."""
    token = new_feed_token()
    feed = CalendarFeed.objects.create(
        kind=kind, location=location, chair=chair, staff=staff, owner=owner,
        token_digest=feed_token_digest(token), token_hint=token[-4:],
    )  # fmt: skip
    record("scheduling.calendarfeed.create", user=owner, obj=feed, detail={"kind": kind})
    return feed, token


@transaction.atomic
def revoke_feed(feed: CalendarFeed, *, by: User) -> CalendarFeed:
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    record("scheduling.calendarfeed.revoke", user=by, obj=feed)
    return feed
