from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .current import current_screening, forget, where_to


@never_cache
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """What the screening is; go on with one in progress, or begin."""
    screening = current_screening(request)
    context = {
        "screening": screening,
        "continue_url": where_to(screening) if screening else None,
        "days": settings.SCREENING_RESUME_DAYS,
    }
    return render(request, "screening/start.html", context)


@never_cache
@require_POST
def restart(request: HttpRequest) -> HttpResponse:
    """Start a new screening: this browser forgets the old one (the clinic keeps it)."""
    forget(request)
    return redirect("screening:step", "contact")
