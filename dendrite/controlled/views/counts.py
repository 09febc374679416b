"""Counts: a daily count or an inventory, blind and signed with the taker's own code."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.step_up import StepUp

from .. import actions
from ..access import READ_ROLES, WRITE_ROLES, get_count_for, get_location_for
from ..forms import CountForm
from ..models import Vial, settled

WRONG_CODE = (
    "That code did not work. Codes change every 30 seconds and each works only once, "
    "so please enter the newest code from your app."
)


@staff_required(roles=WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def count_new(request: HttpRequest, location_id: int) -> HttpResponse:
    location = get_location_for(request.user, location_id, "count", writing=True)
    vials = [
        settled(v) for v in Vial.objects.in_stock().filter(location=location).order_by("number")
    ]
    form = CountForm(request.POST or None, vials=vials, initial={"kind": request.GET.get("kind")})
    if form.is_valid() and not StepUp(request).confirm(form.signature_code()):
        form.add_error("code", WRONG_CODE)  # checked last, so a typo elsewhere keeps the code
    if form.is_bound and not form.errors:
        try:
            count = actions.record_count(
                location=location, kind=form.cleaned_data["kind"],
                timing=form.cleaned_data["timing"], counted=form.counted(),
                explanation=form.cleaned_data["explanation"], by=request.user,
            )  # fmt: skip
        except actions.Refused as refusal:
            for field, message in refusal.errors.items():
                form.add_error(None if field == actions.ALL else field, message)
        else:
            messages.success(request, f"The {count.get_kind_display().lower()} is signed.")
            return redirect("controlled:count", count.pk)
    context = {"location": location, "form": form}
    return render(request, "controlled/count_new.html", context, status=400 if form.errors else 200)


@staff_required(roles=READ_ROLES)
@require_GET
def count_detail(request: HttpRequest, pk: int) -> HttpResponse:
    count = get_count_for(request.user, pk)
    lines = count.lines.select_related("vial")
    context = {"count": count, "location": count.location, "lines": lines}
    return render(request, "controlled/count.html", context)
