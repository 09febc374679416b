"""Recording a theft or loss, with what the DEA and the state expect next."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dendrite.accounts.decorators import staff_required

from .. import actions
from ..access import WRITE_ROLES, get_location_for
from ..forms import LossForm
from ..models import Vial


@staff_required(roles=WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def loss(request: HttpRequest, location_id: int) -> HttpResponse:
    location = get_location_for(request.user, location_id, "loss", writing=True)
    vials = Vial.objects.in_stock().filter(location=location).order_by("number")
    form = LossForm(request.POST or None, location=location, vials=vials)
    with timezone.override(location.tz):  # the time typed is the location's
        valid = form.is_valid()
    if valid:
        try:
            actions.record_loss(by=request.user, **form.cleaned_data)
        except actions.Refused as refusal:
            for field, message in refusal.errors.items():
                form.add_error(None if field == actions.ALL else field, message)
        else:
            messages.success(request, "The loss is recorded. Please notify the DEA as below.")
            return redirect("controlled:log", location.pk)
    context = {"location": location, "form": form, "state": location.state}
    return render(request, "controlled/loss.html", context, status=400 if form.errors else 200)
