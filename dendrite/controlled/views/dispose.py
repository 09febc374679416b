"""Taking a vial out of stock: disposed of (witnessed) or returned to the supplier."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dendrite.accounts.decorators import staff_required

from .. import actions
from ..access import WRITE_ROLES, get_location_for
from ..forms import DisposeForm
from ..models import Vial


@staff_required(roles=WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def dispose(request: HttpRequest, location_id: int) -> HttpResponse:
    location = get_location_for(request.user, location_id, "dispose", writing=True)
    vials = Vial.objects.in_stock().filter(location=location).order_by("number")
    form = DisposeForm(request.POST or None, location=location, vials=vials, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.dispose_of_vial(
                vial=data["vial"], kind=data["kind"], method=data["method"],
                reference=data["reference"], witness=data["witness"], by=request.user,
            )  # fmt: skip
        except actions.Refused as refusal:
            for field, message in refusal.errors.items():
                form.add_error(None if field == actions.ALL else field, message)
        else:
            messages.success(request, f"{data['vial']} is out of stock.")
            return redirect("controlled:log", location.pk)
    context = {"location": location, "form": form}
    return render(request, "controlled/dispose.html", context, status=400 if form.errors else 200)
