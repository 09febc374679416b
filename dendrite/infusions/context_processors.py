import functools

from django.db.models import F
from django.http import HttpRequest

from dendrite.accounts.models import User

from .access import open_alerts_for


def open_chairside_alerts(request: HttpRequest) -> dict[str, object]:
    """Unacknowledged chairside alerts at the user's locations, for the banner on every
    staff page (as open safety alerts are). The banner names the chair, never the patient,
    so every staff member of the location may see it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {}
    return {"open_chairside_alerts": functools.cache(lambda: _open(user))}


def _open(user: User) -> list[dict[str, object]]:
    # Only the three words the banner shows, not five joined rows of every column: the
    # ORM's compile of that list cost a third of a small staff page's own time (one
    # query either way, however many alerts are open).
    return list(
        open_alerts_for(user).values(
            appointment_id=F("infusion__appointment_id"),
            location_name=F("location__name"),
            chair_name=F("infusion__appointment__chair__name"),
        )[:20]
    )
