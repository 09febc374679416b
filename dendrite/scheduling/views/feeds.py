"""Calendar feeds: the public .ics behind a token, and "My calendar feeds" for staff."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dendrite.accounts.decorators import staff_required

from .. import actions, feeds
from ..forms import FeedForm

NO_FEED = "There is no calendar at this address. Ask for a new one at the clinic.\n"


def _list(request: HttpRequest, form: FeedForm, status: int = 200) -> HttpResponse:
    rows = [(feed, feeds.title(feed)) for feed in feeds.feeds_of(request.user)]
    context = {"feeds": rows, "form": form}
    return render(request, "scheduling/feed_list.html", context, status=status)


@staff_required()
@require_GET
def feed_list(request: HttpRequest) -> HttpResponse:
    return _list(request, FeedForm(user=request.user))


@staff_required()
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    form = FeedForm(request.POST, user=request.user)
    if not form.is_valid():
        return _list(request, form, status=400)
    data = form.cleaned_data
    feed, token = actions.feeds.create_feed(
        request.user, data["kind"], data["location"], chair=data["chair"], staff=data["staff"]
    )
    url = request.build_absolute_uri(reverse("scheduling:feed", args=[token]))
    context = {"feed": feed, "title": feeds.title(feed), "url": url}
    response = render(request, "scheduling/feed_created.html", context, status=201)
    response["Cache-Control"] = "no-store"  # the only time the address is shown
    return response


@staff_required()
@require_http_methods(["GET", "POST"])
def feed_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    feed = get_object_or_404(feeds.feeds_of(request.user), pk=pk)
    if request.method == "POST":
        actions.feeds.revoke_feed(feed, by=request.user)
        messages.success(request, f"The calendar “{feeds.title(feed)}” no longer works.")
        return redirect("scheduling:feed_list")
    return render(
        request, "scheduling/feed_revoke.html", {"feed": feed, "title": feeds.title(feed)}
    )


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself, for calendar apps: no sign-in, the token is the key. An unknown,
    revoked or dead token gets the same 404."""
    found = feeds.find_live(token)
    if found is None:
        # Plain and always the same bytes: calendar apps show no page, and nothing in
        # the answer tells a revoked feed from one that never was.
        return HttpResponseNotFound(NO_FEED, content_type="text/plain; charset=utf-8")
    response = HttpResponse(feeds.fetch(found), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=0, no-transform"
    response["Content-Disposition"] = 'inline; filename="dendrite.ics"'
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
