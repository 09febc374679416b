"""Calendar feeds: the public .ics behind a token, and "My calendar feeds" for staff."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import User
from dendrite.clinics.models import Chair, Location

from .. import feeds
from ..models import FeedKind

NO_FEED = "There is no calendar at this address. Ask for a new one at the clinic.\n"


class FeedForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the calendar shows",
        choices=[
            (FeedKind.STAFF, "One person's appointments"),
            (FeedKind.CHAIR, "One chair's appointments"),
            (FeedKind.LOCATION, "Every appointment at a location"),
        ],
        widget=forms.RadioSelect,
    )
    location = forms.ModelChoiceField(queryset=Location.objects.none(), empty_label=None)
    chair = forms.ModelChoiceField(
        queryset=Chair.objects.none(), required=False, help_text="For a chair's calendar."
    )
    staff = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Person",
        help_text="For one person's calendar.",
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        mine = user.location_ids
        self.fields["location"].queryset = Location.objects.filter(pk__in=mine)
        self.fields["chair"].queryset = Chair.objects.filter(
            location__in=mine, is_active=True
        ).select_related("location")
        people = User.objects.filter(pk=user.pk)
        if user.is_clinic_admin:
            people = User.objects.filter(locations__in=mine, is_active=True).distinct()
        self.fields["staff"].queryset = people
        self.initial.setdefault("staff", user.pk)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, location = data.get("kind"), data.get("location")
        # Only the field the kind asks for counts; the others are left behind unsaved.
        for field, needed_by in (("chair", FeedKind.CHAIR), ("staff", FeedKind.STAFF)):
            if kind != needed_by:
                self.errors.pop(field, None)
                data[field] = None
        if kind is None or location is None or self.has_error("chair") or self.has_error("staff"):
            return data
        chair, staff = data["chair"], data["staff"]
        if kind == FeedKind.CHAIR and (chair is None or chair.location_id != location.pk):
            self.add_error("chair", f"Please choose one of the chairs at {location.name}.")
        if kind == FeedKind.STAFF and staff is None:
            self.add_error("staff", "Please choose whose appointments the calendar shows.")
        elif kind == FeedKind.STAFF and not feeds.may_have(self.user, kind, location.pk, staff):
            self.add_error("staff", f"{staff} does not work at {location.name}.")
        return data


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
    feed, token = feeds.create_feed(
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
        feeds.revoke_feed(feed, by=request.user)
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
