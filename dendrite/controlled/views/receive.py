"""Receiving stock against an invoice."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dendrite.accounts.decorators import staff_required

from .. import actions
from ..access import WRITE_ROLES, get_location_for
from ..forms import ReceiveForm


@staff_required(roles=WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def receive(request: HttpRequest, location_id: int) -> HttpResponse:
    location = get_location_for(request.user, location_id, "receive", writing=True)
    form = ReceiveForm(request.POST or None, location=location)
    if form.is_valid():
        receipt = actions.receive_stock(location=location, by=request.user, **form.cleaned_data)
        count = receipt.vials.count()
        messages.success(request, f"{count} vial{'s' if count != 1 else ''} received into stock.")
        return redirect("controlled:log", location.pk)
    return render(request, "controlled/receive.html", {"location": location, "form": form})
