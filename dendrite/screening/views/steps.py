"""The eight steps: one form per page, POST then redirect, Back and Next, no JavaScript."""

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from dendrite import form_defences
from dendrite.clinics.models import Location
from dendrite.instruments import forms as wording
from dendrite.instruments.forms import QuestionsForm
from dendrite.instruments.scoring import SUICIDE_RISK_HIGH

from .. import actions, defences, pages
from ..forms import ContactForm, HealthForm, TreatmentForm
from ..models import ScreeningSession
from ..pages import Page
from ..questions import ATTRIBUTIONS
from .current import (
    REF_FIELD,
    current_screening,
    forget,
    page_ref,
    page_url,
    referenced_screening,
    remember,
    remembered_screening,
    where_to,
)


@never_cache
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    """Step 1. The lead is created here, so the clinic can reach someone who stops half-way."""
    screening = current_screening(request)
    if screening and screening.finished:
        return redirect("screening:result")
    initial = (
        ContactForm.initial_for(screening.lead, screening.answers.get("contact", {}))
        if screening
        else {defences.TOKEN_FIELD: defences.new_token()}
    )
    form = ContactForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_under_18():
        forget(request)  # nothing of the form is kept
        return redirect("screening:adults_only")
    starting = screening is None and request.method == "POST"
    if starting and (refusal := defences.screen_start(request)):
        if defences.keeps_input(refusal):
            return _start_again(request)
        return refused(request, refusal)
    if starting and defences.honeypot_filled(request):
        defences.count_start(request)  # a robot: answered like a person, nothing stored
        return redirect("screening:start")
    if form.is_valid():
        if screening is None:
            screening = actions.start_screening(
                form.lead_fields(), form.answers(), request.LANGUAGE_CODE
            )
            defences.count_start(request)
            remember(request, screening)
        else:
            screening = actions.update_contact(screening, form.lead_fields(), form.answers())
        return redirect(_after(pages.FIRST, screening))
    return _render(request, pages.FIRST, screening, form)


@never_cache
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, slug: str) -> HttpResponse:
    """Steps 2 to 8. A safety answer posted is kept before anything else, whatever the rest
    of the post; otherwise a page not yet reached (or an old one replayed) changes nothing."""
    page = _page(slug)
    if request.method == "POST" and page.instrument and (late := _timed_out(request)):
        return _kept_late(request, page, late)
    screening = current_screening(request)
    if screening is None:
        return redirect("screening:start")
    if request.method == "POST" and page.instrument:
        screening = actions.keep_safety_answers(screening, page, _answers_posted(page, request))
    if screening.finished or not pages.reachable(page, screening.state):
        return redirect(where_to(screening))
    # A skip that carried a "yes" is no skip: the "yes" is kept, so the C-SSRS is now asked.
    if request.method == "POST" and "skip" in request.POST and _may_skip(page, screening):
        screening = actions.skip_safety(screening)
        return redirect(_after(page, screening))
    form = _form(page, screening, _posted(request))
    if form.is_valid():
        screening = actions.save_page(screening, page, form.answers())
        return redirect(_after(page, screening))
    return _render(request, page, screening, form)


def _timed_out(request: HttpRequest) -> ScreeningSession | None:
    """The screening of a page sent too late: the browser's own once its time is up, or,
    when the browser's session has ended, the one the page's signed reference names."""
    screening = remembered_screening(request)
    if screening is not None:
        return screening if screening.is_expired() else None
    return referenced_screening(request.POST.get(REF_FIELD, ""))


def _kept_late(request: HttpRequest, page: Page, screening: ScreeningSession) -> HttpResponse:
    """A page posted from a tab left open past the screening's time or the browser's
    session. Nothing else of it is kept, but a safety answer is never lost (CLINICAL.md
    §6 rule 1): it reaches the lead and its alert as on time, and the person is answered
    with the crisis lines."""
    screening = actions.keep_safety_answers(screening, page, _answers_posted(page, request))
    forget(request)
    if not screening.flagged:
        return redirect("screening:start")
    high_risk = any(SUICIDE_RISK_HIGH in flags for flags in screening.flags.values())
    context = {"high_risk": high_risk, "locations": Location.objects.active()}
    return render(request, "screening/timed_out.html", context)


def _start_again(request: HttpRequest) -> HttpResponse:
    """The timer refused the first page: it comes back as typed, with a fresh token, asking
    the person to press Next again. Nothing was stored or counted."""
    data = form_defences.with_fresh_token(request.POST, defences.new_token())
    form = ContactForm(data)
    form.is_valid()  # also say what else needs correcting
    form.add_error(None, form_defences.PRESS_AGAIN)
    response = _render(request, pages.FIRST, None, form)
    response.status_code = 400
    return response


def refused(request: HttpRequest, refusal: defences.Refusal) -> HttpResponse:
    """A kind page saying why a new screening could not start, with the crisis lines and
    the clinic's phones: a refusal never leaves someone in crisis without them."""
    context = {
        "refusal": refusal.value,
        "locations": Location.objects.active(),
        "burst_minutes": settings.SCREENING_BURST_MINUTES,
    }
    response = render(request, "screening/refused.html", context, status=refusal.status)
    if wait := defences.retry_after(refusal):
        response["Retry-After"] = str(wait)
    return response


def _posted(request: HttpRequest) -> Any:
    """The POST data, bound even when empty (every radio left unanswered)."""
    return request.POST if request.method == "POST" else None


def _answers_posted(page: Page, request: HttpRequest) -> dict[str, Any]:
    """Every answer posted that is valid on its own, to any of the page's questions (even
    one the skip logic no longer asks), whatever is wrong with the rest of the post."""
    return QuestionsForm(pages.every_item(page), request.POST).valid_answers()


def _page(slug: str) -> Page:
    try:
        page = pages.page(slug)
    except KeyError:
        raise Http404 from None
    if page is pages.FIRST:
        raise Http404
    return page


def _form(page: Page, screening: ScreeningSession, data: Any) -> Any:
    given = screening.state.step_answers(page.step.slug)
    if page.slug == "health":
        return HealthForm(data, initial=given)
    if page.slug == "treatment":
        return TreatmentForm(data, initial=given)
    return QuestionsForm(pages.items(page, screening.state), data, answers=given)


def _may_skip(page: Page, screening: ScreeningSession) -> bool:
    """The C-SSRS is offered, not asked, unless PHQ-9 item 9 was >= 1 or one of its own
    questions was answered "yes" - CLINICAL.md §6 (pages.safety_required)."""
    return page.slug == "safety" and not pages.safety_required(screening.state)


def _after(page: Page, screening: ScreeningSession) -> str:
    if screening.finished:
        return reverse("screening:result")
    following = pages.next_page(page, screening.state)
    return page_url(following) if following else where_to(screening)


def _title(page: Page) -> str:
    """ "Alcohol", or "Alcohol, more questions" on a step's later page (marked in pages.py)."""
    title = gettext(page.step.title)
    return f"{title}, {gettext(page.part)}" if page.part else title


def _render(
    request: HttpRequest, page: Page, screening: ScreeningSession | None, form: Any
) -> HttpResponse:
    state = screening.state if screening else pages.State()
    back = pages.previous_page(page, state)
    context = {
        "page": page,
        "step": page.step,
        "step_title": _title(page),
        "step_count": len(pages.STEPS),
        "form": form,
        "screening": screening,
        "back_url": page_url(back) if back else reverse("screening:start"),
        "intro": wording.intro(page.instrument),
        "english": wording.in_english(page.instrument),
        "attribution": ATTRIBUTIONS.get(page.instrument or "", ""),
        "may_skip": screening is not None and _may_skip(page, screening),
        "flagged": bool(screening and screening.flagged),
        "high_risk": bool(screening) and any(SUICIDE_RISK_HIGH in f for f in state.flags.values()),
        "page_ref": page_ref(screening),
    }
    return render(request, "screening/step.html", context)
