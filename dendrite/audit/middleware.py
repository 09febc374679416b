from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .context import RequestContext, current


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; behind DENDRITE_PROXY_COUNT proxies, the one the outermost saw.

    Each trusted proxy appends the address it received from, so the client is that many
    entries from the right of X-Forwarded-For; what the client wrote further left is
    not trusted.
    """
    proxies = settings.PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Remember the client's address and browser so audit entries can name them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current.set(
            RequestContext(
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            )
        )
        try:
            return self.get_response(request)
        finally:
            current.reset(token)
