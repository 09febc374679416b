"""The real URLconf plus one view that fails, to see the 500 page (test_error_pages.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from dendrite import urls


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail 123")


urlpatterns = [path("boom/", boom), *urls.urlpatterns]

# Django reads the error handlers from the root URLconf, so they come along too.
handler400 = urls.handler400
handler403 = urls.handler403
handler404 = urls.handler404
handler500 = urls.handler500
