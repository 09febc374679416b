from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dendrite.accounts.decorators import staff_required

from .access import LEAD_ROLES, audit_list, get_lead_for, leads_for, sees_clinical_data


@staff_required(roles=LEAD_ROLES)
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(leads_for(request.user), 25).get_page(request.GET.get("page"))
    audit_list(request.user, list(page))
    context = {"page": page, "now": timezone.now(), "clinical": sees_clinical_data(request.user)}
    return render(request, "leads/inbox.html", context)


@staff_required(roles=LEAD_ROLES)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_lead_for(request.user, pk)
    context = {"lead": lead, "clinical": sees_clinical_data(request.user)}
    return render(request, "leads/detail.html", context)
