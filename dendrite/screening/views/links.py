"""Save and resume: an unguessable link that expires, for another day or another device."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .. import actions
from ..models import ScreeningSession
from .current import current_screening, remember, where_to


@never_cache
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    """Show a fresh link once. It is rendered, not redirected to: the token is never stored."""
    screening = current_screening(request)
    if screening is None:
        return redirect("screening:start")
    token = actions.new_link(screening)
    screening.refresh_from_db(fields=["expires_at"])
    context = {
        "link": request.build_absolute_uri(reverse("screening:resume", args=[token])),
        "expires_at": screening.expires_at,
        "days": settings.SCREENING_RESUME_DAYS,
        "continue_url": where_to(screening),
    }
    return render(request, "screening/saved.html", context)


@never_cache
@require_GET
def resume(request: HttpRequest, token: str) -> HttpResponse:
    """A saved link: pick the screening up where it stopped, or say kindly why not."""
    screening = ScreeningSession.objects.by_token(token)
    if screening is None or screening.is_expired():
        expired = screening is not None
        context = {"expired": expired, "days": settings.SCREENING_RESUME_DAYS}
        return render(
            request, "screening/link_problem.html", context, status=410 if expired else 404
        )
    remember(request, screening)
    actions.audit_resume(screening)
    return redirect(where_to(screening))
