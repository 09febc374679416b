"""Questionnaires due from the measurement plan, answered on outcomes' own pages.

Starting one hands the request to outcomes exactly as its signed link does (the request's
id in the session), so the questions, the drafts, the scoring and the safety behaviour
(the crisis box, the alert raised there and then) are the same everywhere."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dendrite.outcomes.actions import mark_opened
from dendrite.outcomes.session import remember
from dendrite.outcomes.views.answer import TITLES

from .. import access, auth


@require_GET
@auth.patient_required
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    due = access.due_questionnaires(auth.portal_of(request))
    rows = [(q, [TITLES.get(code, code) for code in q.to_answer]) for q in due]
    return render(request, "portal/questionnaires.html", {"due": rows})


@require_POST
@auth.patient_required
def start(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = access.get_questionnaire(auth.portal_of(request), pk)
    mark_opened(questionnaire)
    remember(request, questionnaire, back=reverse("portal:questionnaires"))
    return redirect("outcomes:next")
