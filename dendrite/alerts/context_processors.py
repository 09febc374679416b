import functools

from django.http import HttpRequest

from .access import open_alerts_for


def open_safety_alerts(request: HttpRequest) -> dict[str, object]:
    """Open alerts at the user's locations, for the banner on every staff page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {}
    # A cached callable: only pages that show the banner run the query, and only once.
    return {"open_safety_alerts": functools.cache(lambda: list(open_alerts_for(user)[:20]))}
