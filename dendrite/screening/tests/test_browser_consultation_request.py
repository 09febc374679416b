"""In a browser: from a "likely candidate" result to a consultation request, axe at
320, 390, 768 and 1280 px. The screening itself is walked by the test client (its own
browser tests cover it); its session cookie then goes to the browser."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from dendrite.leads.models import ConsultationRequest

from .helpers import RESULT, scores, treatment, walk

pytestmark = pytest.mark.browser


def test_a_likely_candidate_requests_a_consultation(page: Page, live_server, boston, check_axe):
    client = Client()
    walk(client, boston, mood=scores(9, 2, q9=0), treatment=treatment(2))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page.goto(live_server.url + RESULT)
    page.get_by_role("link", name="Request a consultation").click()
    for width in (320, 390, 768, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert check_axe(page) == [], width
    page.get_by_label("Tuesday").check()
    page.get_by_label("Morning (before noon)").check()
    page.get_by_role("button", name="Send my request").click()
    expect(
        page.get_by_text("Please choose how the clinic should contact you.").first
    ).to_be_visible()
    assert page.get_by_label("Tuesday").is_checked()  # kept what was chosen
    assert check_axe(page) == []
    page.get_by_label("A phone call").check()
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("heading", name="Thank you: your request is with the clinic"))
    assert check_axe(page) == []
    asked = ConsultationRequest.objects.get()
    assert (asked.days, asked.times, asked.contact_by) == (["tue"], ["morning"], "phone")
