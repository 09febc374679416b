from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from dendrite.ratelimit import client_ip

from .context import RequestContext, current


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
