from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dendrite.accounts.decorators import staff_required
from dendrite.alerts.access import timeline_for
from dendrite.patients.access import duplicate_candidates, get_patient_for
from dendrite.patients.forms import DuplicateChoiceForm
from dendrite.patients.matching import Person

from . import actions
from .access import (
    CONVERT_ROLES,
    LEAD_ROLES,
    audit_list,
    get_lead_for,
    leads_for,
    person_leads,
    possibly_same_person,
    sees_clinical_data,
)
from .conversion import split_name
from .forms import AssignForm, ContactForm, ConvertForm, InboxFilter, LinkForm, StatusForm
from .inbox import Pages, rows
from .models import ConsultationRequest, Lead, LeadEvent

Apply = Callable[[dict[str, Any]], object]

STALE = (
    "A colleague changed this lead while you were looking at it, so nothing was saved. "
    "Here is the lead as it is now: please check it and try again."
)


@staff_required(roles=LEAD_ROLES)
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    clinical = sees_clinical_data(request.user)
    filters = InboxFilter(request.GET or None, user=request.user, clinical=clinical)
    leads = leads_for(request.user)
    if filters.is_valid():
        leads = filters.apply(leads)
    paginator = Paginator(Pages(leads), 25)
    page = paginator.get_page(request.GET.get("page"))
    now = timezone.now()
    page.object_list = rows(list(page.object_list), now)  # the page's words, worked out once
    audit_list(request.user, [row.pk for row in page.object_list])
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page, "filters": filters, "now": now, "clinical": clinical,
        "query": query.urlencode(),
    }  # fmt: skip
    return render(request, "leads/inbox.html", context)


def detail_context(request: HttpRequest, lead: Lead, **forms: object) -> dict[str, object]:
    initial = {"version": lead.version, "status": lead.status, "assignee": lead.assignee_id}
    submissions = list(person_leads(lead))
    ids = [item.pk for item in submissions]
    events = LeadEvent.objects.filter(lead__in=ids).select_related("by")[:50]
    clinical = sees_clinical_data(request.user)
    return {
        "lead": lead,
        "person": lead.linked_to or lead,
        "submissions": submissions if len(submissions) > 1 else [],
        "possibly_same": possibly_same_person(request.user, lead),
        "clinical": clinical,
        "may_convert": request.user.role in CONVERT_ROLES,
        **consultation_context(lead),
        "events": events,
        "alert_events": timeline_for(lead__in=ids) if clinical else [],
        "status_form": forms.get("status_form") or StatusForm(initial=initial),
        "contact_form": forms.get("contact_form") or ContactForm(initial=initial),
        "assign_form": forms.get("assign_form") or AssignForm(initial=initial, user=request.user),
        "convert_form": forms.get("convert_form") or ConvertForm(initial=convert_initial(lead)),
    }


def consultation_context(lead: Lead) -> dict[str, object]:
    """The latest consultation the person asked for, and the booking page it opens
    (the consultation, from the first requested weekday), once there is a chart."""
    person = lead.linked_to_id or lead.pk
    asked = (
        ConsultationRequest.objects.filter(Q(lead=person) | Q(lead__linked_to=person))
        .select_related("location")
        .first()
    )
    if asked is None:
        return {}
    return {"consultation_request": asked, "book_query": book_query(asked)}


def book_query(asked: ConsultationRequest) -> str:
    day = asked.first_day(asked.location.local_now().date())
    return urlencode({"appointment_type": "consultation", "day": day.isoformat()})


def convert_initial(lead: Lead) -> dict[str, object]:
    first, last = split_name(lead.name)
    return {"first_name": first, "last_name": last, "sex": (lead.answers or {}).get("sex")}


@staff_required(roles=LEAD_ROLES)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_lead_for(request.user, pk)
    return render(request, "leads/detail.html", detail_context(request, lead))


def _save(request: HttpRequest, lead: Lead, form: Form, name: str, apply: Apply) -> HttpResponse:
    """The shape every lead change shares: valid form → one action → back to the lead."""
    if not form.is_valid():
        context = detail_context(request, lead, **{name: form})
        return render(request, "leads/detail.html", context, status=400)
    try:
        apply(form.cleaned_data)
    except actions.StaleLead:
        messages.error(request, STALE)
    else:
        messages.success(request, "Saved.")
    return redirect("leads:detail", lead.pk)


@staff_required(roles=LEAD_ROLES)
@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_lead_for(request.user, pk, action="change")

    def apply(data: dict[str, Any]) -> object:
        return actions.change_status(
            lead, by=request.user, status=data["status"], note=data["note"],
            version=data["version"],
        )  # fmt: skip

    return _save(request, lead, StatusForm(request.POST), "status_form", apply)


@staff_required(roles=LEAD_ROLES)
@require_POST
def log_contact(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_lead_for(request.user, pk, action="change")

    def apply(data: dict[str, Any]) -> object:
        return actions.log_contact(
            lead, by=request.user, channel=data["channel"], outcome=data["outcome"],
            note=data["note"], version=data["version"],
        )  # fmt: skip

    return _save(request, lead, ContactForm(request.POST), "contact_form", apply)


@staff_required(roles=LEAD_ROLES)
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_lead_for(request.user, pk, action="change")

    def apply(data: dict[str, Any]) -> object:
        return actions.assign(
            lead, by=request.user, assignee=data["assignee"], version=data["version"]
        )

    form = AssignForm(request.POST, user=request.user)
    return _save(request, lead, form, "assign_form", apply)


@staff_required(roles=CONVERT_ROLES)
@require_POST
def convert(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the chart from the lead; a second click lands on the same chart.

    When charts at the user's locations look like the same person, they are shown side
    by side first: staff link the lead to one of them, or create a new chart anyway
    with a reason (patients.access.duplicate_candidates, patients/_duplicates.html).
    """
    lead = get_lead_for(request.user, pk, action="convert")
    if lead.linked_to_id:  # a filed submission: the person's lead makes the one chart
        return redirect("leads:detail", lead.linked_to_id)
    if lead.patient_id is not None:
        return redirect("patients:chart", lead.patient_id)
    form = ConvertForm(request.POST)
    choice = DuplicateChoiceForm(request.POST)
    if not form.is_valid():
        context = detail_context(request, lead, convert_form=form)
        return render(request, "leads/detail.html", context, status=400)
    data = form.cleaned_data
    person = Person(data["first_name"], data["last_name"], data["date_of_birth"],
                    lead.email, lead.phone)  # fmt: skip
    candidates = duplicate_candidates(request.user, person)
    decision = choice.cleaned_data.get("decision") if choice.is_valid() else None
    if candidates and decision is None:  # the reason was not given (or too long)
        return duplicates_page(request, lead, form, choice, candidates, status=400)
    if decision == "link":
        existing = get_patient_for(request.user, choice.cleaned_data["link_to"], "edit")
        patient = actions.convert_lead(lead, by=request.user, existing=existing)
        messages.success(request, f"This lead is now linked to the chart {patient.mrn}.")
    elif candidates and decision != "new":
        return duplicates_page(request, lead, form, choice, candidates)
    else:
        override = actions.Override(
            [patient.pk for patient, _ in candidates], choice.cleaned_data.get("reason", "")
        )
        patient = actions.convert_lead(lead, by=request.user, override=override, **data)
        messages.success(request, f"The chart {patient.mrn} was created from this lead.")
    asked = lead.consultation_requests.select_related("location").first()
    if asked is not None:  # straight on to booking what the person asked for
        url = reverse("scheduling:book", args=[patient.pk])
        return redirect(f"{url}?{book_query(asked)}")
    return redirect("patients:chart", patient.pk)


def duplicates_page(
    request: HttpRequest,
    lead: Lead,
    form: ConvertForm,
    choice: DuplicateChoiceForm,
    candidates: list[Any],
    status: int = 200,
) -> HttpResponse:
    data = form.cleaned_data
    new_person = {
        "name": f"{data['first_name']} {data['last_name']}", "email": lead.email,
        "date_of_birth": data["date_of_birth"], "phone": lead.phone,
        "location": lead.location.name,
    }  # fmt: skip
    context = {
        "lead": lead, "convert_form": form, "choice_form": choice, "candidates": candidates,
        "new_person": new_person, "link_label": "Link to this chart",
    }  # fmt: skip
    return render(request, "leads/convert_duplicates.html", context, status=status)


@staff_required(roles=LEAD_ROLES)
@require_POST
def link(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff say two leads are the same person (the page offered it): one lead, both
    histories."""
    lead = get_lead_for(request.user, pk, action="change")
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That lead could not be found; nothing was linked.")
        return redirect("leads:detail", lead.pk)
    other = get_lead_for(request.user, form.cleaned_data["other"], action="change")
    person = actions.link_leads(lead, other, by=request.user)
    messages.success(request, "The leads are linked: one person, one history.")
    return redirect("leads:detail", person.pk)


@staff_required(roles=LEAD_ROLES)
@require_POST
def unlink(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a link: the submission becomes a lead of its own again."""
    lead = get_lead_for(request.user, pk, action="change")
    person_pk = lead.linked_to_id or lead.pk
    actions.unlink_lead(lead, by=request.user)
    messages.success(request, "The link is undone: this submission is a lead of its own again.")
    return redirect("leads:detail", person_pk)
