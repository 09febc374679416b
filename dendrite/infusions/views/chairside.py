"""The chairside page for one infusion visit: everything the nurse needs, one screen."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from dendrite.accounts.decorators import staff_required

from ..access import CHAIRSIDE_ROLES, get_chairside_visit_for
from .common import render_page


@staff_required(roles=CHAIRSIDE_ROLES)
@require_GET
def chairside(request: HttpRequest, pk: int) -> HttpResponse:
    appointment, infusion = get_chairside_visit_for(request.user, pk)
    return render_page(request, appointment, infusion)
