from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dendrite.accounts.access import get_location_for
from dendrite.accounts.decorators import staff_required


@staff_required()
@require_GET
def location_detail(request: HttpRequest, pk: int) -> HttpResponse:
    location = get_location_for(request.user, pk)
    local_today = timezone.now().astimezone(location.tz).date()
    upcoming_closures = [c for c in location.closures.all() if c.end_date >= local_today]
    context = {"location": location, "upcoming_closures": upcoming_closures}
    return render(request, "clinics/location_detail.html", context)
