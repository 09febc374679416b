"""The check-in tablet: the front desk hands the patient who just arrived a device with
only their questionnaire on it. The staff session is parked (dendrite/middleware.py): no
staff page can be reached until a staff member of the same account unlocks it with their
password. Too many wrong tries end the staff session altogether."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import Role, User
from dendrite.middleware import PARKED
from dendrite.scheduling.access import get_appointment_for

from .. import actions
from ..forms import UnlockForm
from ..session import park, parked

WRONG_TRIES = 5


@staff_required(roles=[Role.FRONT_DESK, Role.NURSE, Role.PRESCRIBER])
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_appointment_for(request.user, pk)  # type: ignore[arg-type]
    user: User = request.user  # type: ignore[assignment]
    questionnaire = actions.start_tablet(appointment, by=user)
    back = reverse("scheduling:appointment", args=[appointment.pk])
    if questionnaire is None:
        messages.info(request, "Nothing is due for this visit: the questionnaires are answered.")
        return redirect(back)
    park(request, questionnaire, back)
    return redirect("outcomes:next")


@never_cache
@require_POST
def hand_back(request: HttpRequest) -> HttpResponse:
    state = parked(request)
    if state is not None:
        request.session[PARKED] = {**state, "locked": True}
    return redirect("outcomes:locked")


@never_cache
@require_http_methods(["GET", "POST"])
def locked(request: HttpRequest) -> HttpResponse:
    """Hand the tablet back: a staff password returns it to the staff view."""
    state = parked(request)
    if state is None:
        return redirect("outcomes:next")
    request.session[PARKED] = {**state, "locked": True}
    form = UnlockForm(request.POST or None)
    if form.is_valid():
        user = User.objects.filter(pk=state["user"], is_active=True).first()
        if user is not None and user.check_password(form.cleaned_data["password"]):
            del request.session[PARKED]
            return redirect(state["back"])
        tries = state["tries"] + 1
        if tries >= WRONG_TRIES:
            logout(request)  # the staff session ends; signing in again is needed
            return redirect("accounts:login")
        request.session[PARKED] = {**state, "locked": True, "tries": tries}
        form.add_error("password", "That password is not right. Please try again.")
    return render(request, "outcomes/locked.html", {"form": form})
