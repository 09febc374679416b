"""The log of a location: its stock with balances and its ledger; one vial's ledger."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import User
from dendrite.clinics.models import Location

from .. import balances, ledger, reminders
from ..access import READ_ROLES, get_location_for, get_vial_for, locations_for
from ..forms import ExportForm
from ..models import Count


@staff_required(roles=READ_ROLES)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    locations = list(locations_for(request.user))
    if len(locations) == 1:
        return redirect("controlled:log", locations[0].pk)
    return render(request, "controlled/index.html", {"locations": locations})


def log_context(user: User, location: Location, page: object, export_form: ExportForm) -> dict:
    """What the log page shows (also when an export's dates are refused)."""
    today = location.local_now().date()
    return {
        "location": location,
        "stock": ledger.stock(location),
        "page": ledger.ledger_page(user, location, page),
        "counts": Count.objects.filter(location=location).select_related("by")[:5],
        "count_overdue": reminders.daily_count_overdue(location),
        "inventory": reminders.inventory_status(location, today),
        "export_form": export_form,
    }


@staff_required(roles=READ_ROLES)
@require_GET
def location_log(request: HttpRequest, location_id: int) -> HttpResponse:
    location = get_location_for(request.user, location_id)
    today = location.local_now().date()
    form = ExportForm(initial={"start": today.replace(day=1), "end": today})
    context = log_context(request.user, location, request.GET.get("page"), form)
    return render(request, "controlled/log.html", context)


@staff_required(roles=READ_ROLES)
@require_GET
def vial_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vial = get_vial_for(request.user, pk)
    movements = list(vial.movements.select_related("by", "witness", "patient").order_by("seq"))
    adds_up = balances.check_ledger((m.change_ml, m.balance_after_ml) for m in movements) is None
    context = {"vial": vial, "location": vial.location, "movements": movements, "adds_up": adds_up}
    return render(request, "controlled/vial.html", context)
