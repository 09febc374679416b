import functools

from django.http import HttpRequest

from .access import open_alerts_for


def open_chairside_alerts(request: HttpRequest) -> dict[str, object]:
    """Unacknowledged chairside alerts at the user's locations, for the banner on every
    staff page (as open safety alerts are). The banner names the chair, never the patient,
    so every staff member of the location may see it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {}
    return {"open_chairside_alerts": functools.cache(lambda: list(open_alerts_for(user)[:20]))}
