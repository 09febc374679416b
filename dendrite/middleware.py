from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers


class PermissionsPolicyMiddleware:
    """Deny browser features the app never uses (camera, microphone, location…)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# Pages that show patient or account data: the staff workspace (charts, leads, alerts,
# questionnaires, the schedule), the back office, sign-in and recovery codes, the
# self-screening, a patient's appointment links, the calendar feeds, the drinking diary and
# the patient portal.
PRIVATE_PREFIXES = (
    "/staff/",
    "/admin/",
    "/accounts/",
    "/screening/",
    "/appointment/",
    "/calendar/",
    "/diary/",
    "/questionnaire/",
    "/portal/",
)


class NoStoreMiddleware:
    """Private pages are never kept by the browser (back button, a shared computer's disk)
    or by a cache on the way: Cache-Control: no-store, added to whatever the view said."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        private = request.path.startswith(PRIVATE_PREFIXES)
        if private and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response


# The check-in tablet (outcomes): a staff session handed to a patient is "parked". It
# reaches only the questionnaire pages (and the static files and language switch they
# use) until a staff member unlocks it with their password there.
PARKED = "parked"
PARKED_HOME = "/questionnaire/"
PARKED_ALLOWED = (PARKED_HOME, "/static/", "/i18n/")


class ParkedSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if PARKED in request.session and not request.path.startswith(PARKED_ALLOWED):
            return HttpResponseRedirect(PARKED_HOME)
        return self.get_response(request)
