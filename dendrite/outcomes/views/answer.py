"""The patient's pages: one screen per questionnaire, answers kept on the server as they
come, the crisis box once a safety answer is given. Public (the link is the key), no
staff data; the same pages serve the check-in tablet."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from dendrite.clinics.models import Location
from dendrite.instruments import forms as wording
from dendrite.instruments import loader
from dendrite.instruments.answers import is_enabled
from dendrite.instruments.forms import QuestionsForm
from dendrite.instruments.loader import Item
from dendrite.instruments.scoring import ScoringError

from .. import actions, tokens
from ..models import QuestionnaireRequest
from ..session import back_to, current, parked, remember

# Each questionnaire's screen title, in the patient's words (translated where shown).
TITLES = {
    "phq-9": gettext_noop("Mood"),
    "c-ssrs-screener": gettext_noop("Your safety"),
    "gad-7": gettext_noop("Worry and anxiety"),
    "audit-c": gettext_noop("Alcohol"),
    "pcl-5": gettext_noop("Stressful experiences"),
    "dast-10": gettext_noop("Other drugs"),
}


@never_cache
@require_http_methods(["GET"])
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the message: exchanged for the request in the session, then away from
    the address bar. An old, used or changed link gets a kind page."""
    try:
        digest = tokens.check(token)
    except tokens.BadToken:
        return problem(request, None)
    found = QuestionnaireRequest.objects.select_related("location").filter(token_hash=digest)
    questionnaire = found.first()
    if questionnaire is None or not questionnaire.usable():
        return problem(request, questionnaire)
    actions.mark_opened(questionnaire)
    remember(request, questionnaire)
    response = redirect("outcomes:next")
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, questionnaire.language, samesite="Lax")
    return response


def _handed_back(request: HttpRequest) -> bool:
    state = parked(request)
    return bool(state and state["locked"])


@never_cache
def next_step(request: HttpRequest) -> HttpResponse:
    if _handed_back(request):
        return redirect("outcomes:locked")
    questionnaire, _ = current(request)
    if questionnaire is None or (not questionnaire.usable() and not questionnaire.completed_at):
        return problem(request, questionnaire)
    if questionnaire.to_answer and questionnaire.usable():
        return redirect("outcomes:answer", questionnaire.to_answer[0])
    return redirect("outcomes:done")


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, code: str) -> HttpResponse:
    """One questionnaire. A post's valid answers are kept first (a safety answer raises the
    alert there and then); questions the answers open appear on the same screen."""
    if _handed_back(request):
        return redirect("outcomes:locked")
    questionnaire, tablet = current(request)
    if questionnaire is None or not questionnaire.usable():
        return problem(request, questionnaire)
    if code not in questionnaire.to_answer:
        return redirect("outcomes:next")
    every = loader.questions(code)
    if request.method == "POST":
        posted = QuestionsForm(every, request.POST).valid_answers()
        questionnaire = actions.keep_answers(questionnaire, code, posted, tablet=tablet)
    draft = questionnaire.draft.get(code, {})
    asked = _asked(every, draft)
    if request.method == "GET":
        return _render(request, questionnaire, code, QuestionsForm(asked, answers=draft))
    form = QuestionsForm(asked, request.POST, answers=draft)
    shown = set(request.POST.getlist("shown"))
    # Questions just opened by an answer are asked, not marked wrong.
    opened = [f"q{item.link_id}" for item in asked if f"q{item.link_id}" not in shown]
    if form.is_valid() and not opened:
        try:
            actions.complete(questionnaire, code, tablet=tablet)
        except ScoringError as error:
            for link_id, message in error.errors.items():
                form.add_error(f"q{link_id}" if f"q{link_id}" in form.fields else None, message)
        else:
            return redirect("outcomes:next")
    for name in opened:
        form.errors.pop(name, None)
    return _render(request, questionnaire, code, form, more=bool(opened))


def _asked(every: tuple[Item, ...], draft: dict[str, Any]) -> list[Item]:
    by_id = {item.link_id: item for item in every}
    return [item for item in every if is_enabled(item, draft, by_id)]


def _render(
    request: HttpRequest,
    questionnaire: QuestionnaireRequest,
    code: str,
    form: QuestionsForm,
    more: bool = False,
) -> HttpResponse:
    codes = questionnaire.instruments
    context = {
        "questionnaire": questionnaire,
        "code": code,
        "title": TITLES.get(code, code),
        "number": codes.index(code) + 1,
        "count": len(codes),
        "form": form,
        "intro": wording.intro(code),
        "english": wording.in_english(code),
        "flagged": questionnaire.alert_id is not None,
        "high_risk": bool(questionnaire.alert_id) and questionnaire.alert.tier == "high",
        "more": more,
    }
    return render(request, "outcomes/answer.html", context)


@never_cache
def done(request: HttpRequest) -> HttpResponse:
    if _handed_back(request):
        return redirect("outcomes:locked")
    questionnaire, tablet = current(request)
    if questionnaire is None:
        return problem(request, None)
    if questionnaire.to_answer and questionnaire.usable():
        return redirect("outcomes:next")
    context = {"questionnaire": questionnaire, "tablet": tablet,
               "flagged": questionnaire.alert_id is not None,
               "back": "" if tablet else back_to(request)}  # fmt: skip
    return render(request, "outcomes/done.html", context)


def problem(request: HttpRequest, questionnaire: QuestionnaireRequest | None) -> HttpResponse:
    """A kind page for a link that is old, used or changed, with the clinic's phone and 988."""
    if questionnaire is not None:
        locations = [questionnaire.location]
        used = questionnaire.completed_at is not None
    else:
        locations, used = list(Location.objects.active()), False
    context = {"locations": locations, "used": used}
    return render(request, "outcomes/link_problem.html", context, status=410 if used else 404)
