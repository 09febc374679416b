"""Project-wide error pages: kind words, no detail that could leak anything."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Signed-in staff get the staff layout and the names of who can grant access (the
    user model's `clinic_admins`; this ground module imports no app)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and hasattr(user, "clinic_admins"):
        context = {"admins": list(user.clinic_admins())}
        return render(request, "403_staff.html", context, status=403)
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors and no request data: the page must render even when
    # the database or the session is what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
