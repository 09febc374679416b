"""The portal's home: what is next, what is due, where everything is."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import access, auth


@require_GET
@auth.patient_required
def home(request: HttpRequest) -> HttpResponse:
    portal = auth.portal_of(request)
    upcoming, _past = access.appointments(portal)
    context = {
        "next_visit": upcoming[0] if upcoming else None,
        "due": access.due_questionnaires(portal),
        "has_passkey": bool(access.passkeys(portal)),
        "new_reply": access.has_new_reply(portal),
    }
    return render(request, "portal/home.html", context)
