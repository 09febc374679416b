"""The staff workspace's front page (a card per location the user works at) and each
location's page: address, hours, closures and chairs. They live here, not in clinics,
because who may open a location is a question about the staff member (access.py)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dendrite.clinics.models import Location

from ..access import get_location_for
from ..decorators import staff_required


@staff_required()
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    cards = [
        {
            "location": location,
            "local_now": now.astimezone(location.tz),
            "hours_today": location.hours_on(now.astimezone(location.tz).date()),
            "closure_today": location.closure_on(now.astimezone(location.tz).date()),
            "open_now": location.is_open_at(now),
        }
        for location in Location.objects.filter(pk__in=request.user.location_ids).with_hours()
    ]
    return render(request, "accounts/home.html", {"cards": cards})


@staff_required()
@require_GET
def location_detail(request: HttpRequest, pk: int) -> HttpResponse:
    location = get_location_for(request.user, pk)
    local_today = timezone.now().astimezone(location.tz).date()
    upcoming_closures = [c for c in location.closures.all() if c.end_date >= local_today]
    context = {"location": location, "upcoming_closures": upcoming_closures}
    return render(request, "accounts/location_detail.html", context)
