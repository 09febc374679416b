"""Which screening this browser is on: the session cookie remembers it.

Each question page also carries a signed reference to its screening (`page_ref`), so a
page sent after the browser's session has ended can still be matched to its screening:
only its safety answers are then kept (views/steps.py), nothing is shown back.
"""

from django.core import signing
from django.http import HttpRequest
from django.urls import reverse

from dendrite.leads import browser

from ..models import ScreeningSession
from ..pages import Page, first_incomplete

SESSION_KEY = "screening"
REF_FIELD = "ref"
REF_SALT = "dendrite.screening.page"


def remembered_screening(request: HttpRequest) -> ScreeningSession | None:
    """The screening this browser started or resumed, even if its time is up."""
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    return ScreeningSession.objects.select_related("lead__location").filter(pk=pk).first()


def page_ref(screening: ScreeningSession | None) -> str:
    return signing.dumps(screening.pk, salt=REF_SALT) if screening else ""


def referenced_screening(ref: str) -> ScreeningSession | None:
    """The screening a page's signed reference names, or None if it was tampered with."""
    try:
        pk = signing.loads(ref, salt=REF_SALT)
    except signing.BadSignature:
        return None
    return ScreeningSession.objects.select_related("lead__location").filter(pk=pk).first()


def current_screening(request: HttpRequest) -> ScreeningSession | None:
    """The screening this browser started or resumed, unless its time is up."""
    screening = remembered_screening(request)
    if screening is None or screening.is_expired():
        forget(request)
        return None
    return screening


def remember(request: HttpRequest, screening: ScreeningSession) -> None:
    request.session.cycle_key()  # a fresh session id for a fresh screening or a resumed one
    request.session[SESSION_KEY] = screening.pk
    browser.remember(request.session, screening.lead)  # the contact form fills in from it


def forget(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    browser.forget(request.session)


def page_url(page: Page) -> str:
    return reverse("screening:step", args=[page.slug])


def where_to(screening: ScreeningSession) -> str:
    """The result once finished, else the first page still to answer."""
    if screening.finished:
        return reverse("screening:result")
    gap = first_incomplete(screening.state)
    return page_url(gap) if gap else reverse("screening:step", args=["treatment"])
