"""The public site: information pages, the inquiry form, and its answers."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_safe

from dendrite import form_defences
from dendrite.clinics.models import Closure, Location
from dendrite.leads import browser

from . import spam
from .actions import AlreadySent, first_response_business_days, receive_inquiry
from .forms import InquiryForm

CLOSURES_AHEAD = dt.timedelta(days=60)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "website/home.html", {"locations": Location.objects.active()})


@require_safe
def depression(request: HttpRequest) -> HttpResponse:
    return render(request, "website/depression.html")


@require_safe
def substance_use(request: HttpRequest) -> HttpResponse:
    return render(request, "website/substance_use.html")


@require_safe
def infusion_day(request: HttpRequest) -> HttpResponse:
    return render(request, "website/infusion_day.html")


@require_safe
def locations(request: HttpRequest) -> HttpResponse:
    cards = [(loc, coming_closures(loc)) for loc in Location.objects.active().with_hours()]
    return render(request, "website/locations.html", {"cards": cards})


@require_safe
def faq(request: HttpRequest) -> HttpResponse:
    return render(request, "website/faq.html")


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "website/privacy.html")


@require_http_methods(["GET", "HEAD", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if refusal := spam.screen(request):
            if spam.keeps_input(refusal):
                return send_again(request)
            return refused(request, refusal)
        if spam.honeypot_filled(request):
            # Answered like a person, so the robot learns nothing; nothing is stored.
            spam.count_submission(request)
            return redirect("website:thanks")
    # What the self-screening in this browser was given (name, e-mail, phone) fills the
    # form in, from the server-side session; the person can change any of it.
    screened = browser.screening_lead(request.session)
    prefill = browser.contact_prefill(screened) if request.method != "POST" else {}
    initial = {spam.TOKEN_FIELD: spam.new_token(), **prefill}
    form = InquiryForm(request.POST or None, initial=initial)
    if form.is_valid():
        token = form.cleaned_data[spam.TOKEN_FIELD]
        try:
            receive_inquiry(token=token, browser=screened, **form.lead_fields())
        except AlreadySent:
            return refused(request, spam.Refusal.ALREADY_SENT)
        spam.count_submission(request)
        return redirect("website:thanks")
    context = {
        "form": form,
        "prefilled": bool(prefill),
        "days": first_response_business_days(),
        "locations": Location.objects.active(),
    }
    response = render(request, "website/contact.html", context)
    if prefill:
        add_never_cache_headers(response)  # it shows the person's details: kept nowhere
    return response


@require_safe
def thanks(request: HttpRequest) -> HttpResponse:
    context = {"days": first_response_business_days(), "locations": Location.objects.active()}
    return render(request, "website/thanks.html", context)


def send_again(request: HttpRequest) -> HttpResponse:
    """The timer refused the form: it comes back as typed, with a fresh token, asking the
    person to press Send again. Nothing was stored or counted."""
    form = InquiryForm(form_defences.with_fresh_token(request.POST, spam.new_token()))
    form.is_valid()  # also say what else needs correcting
    form.add_error(None, form_defences.PRESS_AGAIN)
    context = {
        "form": form,
        "days": first_response_business_days(),
        "locations": Location.objects.active(),
    }
    return render(request, "website/contact.html", context, status=400)


def refused(request: HttpRequest, refusal: spam.Refusal) -> HttpResponse:
    """A kind page saying why the form was not accepted, and how else to reach us."""
    locations = Location.objects.active()
    chosen = request.POST.get("location", "")
    context = {
        "refusal": refusal.value,
        "locations": locations,
        "chosen": locations.filter(pk=chosen).first() if chosen.isdigit() else None,
        "burst_minutes": spam.burst().seconds // 60,
    }
    response = render(request, "website/refused.html", context, status=refusal.status)
    if refusal.retry_after:
        response["Retry-After"] = str(refusal.retry_after)
    return response


def coming_closures(location: Location) -> list[Closure]:
    """Closures in the next two months, by the location's own calendar."""
    today = timezone.now().astimezone(location.tz).date()
    return [
        c
        for c in location.closures.all()
        if c.end_date >= today and c.start_date <= today + CLOSURES_AHEAD
    ]
