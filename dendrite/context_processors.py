from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "site_name": settings.DENDRITE_SITE_NAME,
        "idle_timeout_seconds": settings.IDLE_TIMEOUT_SECONDS,
    }
