import functools

from django.http import HttpRequest
from django.utils import timezone

from .access import open_alerts_for
from .actions import worker_is_stale


def open_safety_alerts(request: HttpRequest) -> dict[str, object]:
    """Open alerts at the user's locations for the banner on every staff page, and whether
    the task worker (which sends escalations) has stopped."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {}
    # Cached callables: only pages that show the banner run the queries, and only once.
    return {
        "open_safety_alerts": functools.cache(
            lambda: list(open_alerts_for(user).by_urgency()[:20])
        ),
        "worker_stale": functools.cache(lambda: worker_is_stale(timezone.now())),
    }
