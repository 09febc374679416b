"""My details: the patient's own e-mail, mobile number, language of messages and
message consents (actions.update_details records each consent and tells the old
address of a change)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import access, actions, auth
from ..forms import DetailsForm


@require_http_methods(["GET", "POST"])
@auth.patient_required
def details(request: HttpRequest) -> HttpResponse:
    portal = auth.portal_of(request)
    passkey = access.has_passkey(portal)
    if request.method == "POST":
        form = DetailsForm(request.POST, has_passkey=passkey)
        if form.is_valid():
            changed = actions.update_details(portal.patient, **form.cleaned_data)
            text = _("Your details are saved.") if changed else _("Nothing was changed.")
            messages.success(request, text)
            return redirect("portal:details")
    else:
        form = DetailsForm(initial=access.my_details(portal), has_passkey=passkey)
    status = 400 if form.errors else 200
    return render(request, "portal/details.html", {"form": form}, status=status)
