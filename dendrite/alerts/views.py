from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import CLINICAL_ROLES
from dendrite.audit.log import record

from .access import get_alert_for, open_alerts_for
from .actions import acknowledge as acknowledge_alert
from .forms import AcknowledgeForm


@staff_required(roles=CLINICAL_ROLES)
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    alerts = list(open_alerts_for(request.user).select_related("lead"))
    record("alerts.safetyalert.list", user=request.user, detail={"ids": [a.pk for a in alerts]})
    return render(request, "alerts/alert_list.html", {"alerts": alerts, "now": timezone.now()})


@staff_required(roles=CLINICAL_ROLES)
@require_http_methods(["GET", "POST"])
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_alert_for(request.user, pk)
    form = AcknowledgeForm(request.POST or None, instance=alert)
    if alert.is_open and form.is_valid():
        acknowledge_alert(
            alert,
            by=request.user,
            action=form.cleaned_data["action"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, "Thank you. The alert is acknowledged and recorded.")
        return redirect("alerts:list")
    return render(request, "alerts/acknowledge.html", {"alert": alert, "form": form})
