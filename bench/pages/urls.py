"""The real URLs, plus /staff/bench-bare/: the least a staff page can be. It goes
through the same middleware, session, sign-in and second-factor check as every staff
page (staff_required), and answers a few bytes without a query or a template, so that
a page's requests per second divided by this view's is the share left after the page's
own queries and rendering (docs/benchmarks.md).

And /staff/bench-chrome/: the staff base template with no content of its own, so the
header, menu counts and banners every staff page pays before its content are measured
on their own."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from dendrite.accounts.decorators import staff_required
from dendrite.urls import (  # noqa: F401 - the error pages too
    handler400,
    handler403,
    handler404,
    handler500,
)
from dendrite.urls import urlpatterns as dendrite_urls


@staff_required()
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@staff_required()
def chrome(request: HttpRequest) -> HttpResponse:
    return render(request, "staff_base.html")


urlpatterns = [
    path("staff/bench-bare/", bare, name="bench_bare"),
    path("staff/bench-chrome/", chrome, name="bench_chrome"),
    *dendrite_urls,
]
