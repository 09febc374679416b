"""After a "likely candidate" or "needs clinical review" result: ask for a consultation.
The request lands on the screening's own lead in the staff inbox."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from dendrite.leads.actions import request_consultation
from dendrite.leads.models import Outcome

from ..consultation_form import ConsultationRequestForm
from .current import current_screening

OFFERED_FOR = (Outcome.LIKELY_CANDIDATE, Outcome.NEEDS_CLINICAL_REVIEW)


@never_cache
@require_http_methods(["GET", "POST"])
def consultation(request: HttpRequest) -> HttpResponse:
    screening = current_screening(request)
    if screening is None or not screening.finished or screening.outcome not in OFFERED_FOR:
        return redirect("screening:result")
    lead = screening.lead
    form = ConsultationRequestForm(request.POST or None, initial_location=lead.location)
    if form.is_valid():
        request_consultation(lead, **form.cleaned_data)
        context = {
            "sent": True,
            "flagged": screening.flagged,
            "location": form.cleaned_data["location"],
        }
        return render(request, "screening/consultation.html", context)
    context = {"form": form, "flagged": screening.flagged}
    return render(
        request, "screening/consultation.html", context, status=400 if form.errors else 200
    )
