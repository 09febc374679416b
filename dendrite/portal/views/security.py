"""The patient's sign-in and security page: where they are signed in, their passkeys."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import access, actions, auth


@require_GET
@auth.patient_required
def security(request: HttpRequest) -> HttpResponse:
    portal = auth.portal_of(request)
    context = {
        "sessions": access.sessions(portal),
        "passkeys": access.passkeys(portal),
        "this_session": portal.session.pk,
    }
    return render(request, "portal/security.html", context)


@require_POST
@auth.patient_required
def end_session(request: HttpRequest, pk: int) -> HttpResponse:
    portal = auth.portal_of(request)
    session = access.get_session(portal, pk)
    actions.end_session(session, reason="ended_by_patient")
    if session.pk == portal.session.pk:
        auth.forget(request)
        return redirect("portal:sign_in")
    messages.success(request, _("That device is signed out."))
    return redirect("portal:security")


@require_POST
@auth.patient_required
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    actions.end_every_session(auth.portal_of(request).account)
    auth.forget(request)
    messages.success(request, _("You are signed out on every device."))
    return redirect("portal:sign_in")
