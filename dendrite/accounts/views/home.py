from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dendrite.clinics.models import Location

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
