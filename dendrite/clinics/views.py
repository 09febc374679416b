from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dendrite.accounts.access import get_location_for
from dendrite.accounts.decorators import staff_required

from .models import Location


@require_GET
def public_home(request: HttpRequest) -> HttpResponse:
    """The public front page: who we are, where we are, how to reach us."""
    locations = Location.objects.active().with_hours()
    return render(request, "clinics/public_home.html", {"locations": locations})


@staff_required()
@require_GET
def location_detail(request: HttpRequest, pk: int) -> HttpResponse:
    location = get_location_for(request.user, pk)
    local_today = timezone.now().astimezone(location.tz).date()
    upcoming_closures = [c for c in location.closures.all() if c.end_date >= local_today]
    context = {"location": location, "upcoming_closures": upcoming_closures}
    return render(request, "clinics/location_detail.html", context)
