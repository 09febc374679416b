"""A safety answer is kept with JavaScript off, in a real Chromium: the flow is the
server's, so a page with errors and a skip carrying a "yes" still store the answer,
alert the clinic and show the crisis box (issue #10, part 1)."""

import pytest
from playwright.sync_api import Browser, Page, expect

from dendrite.alerts.models import SafetyAlert
from dendrite.clinics.models import Location
from dendrite.leads.models import Lead
from dendrite.screening.models import ScreeningSession

from .test_browser_screening import EVERY_PAGE, fill, slug_of

pytestmark = pytest.mark.browser

# Calm answers: no item 9, AUDIT-C negative, so the C-SSRS stays optional.
CALM = EVERY_PAGE | {
    "mood": {f"q{n}": "0" for n in range(1, 10)},
    "alcohol": {"q1": "0", "q2": "0", "q3": "0"},
}


def answer_until(page: Page, live_server, location: Location, slug: str) -> None:
    page.goto(live_server.url + "/screening/step/contact/")
    while slug_of(page) != slug:
        fill(page, CALM[slug_of(page)], location)
        page.get_by_role("button", name="Next").click()


def expect_crisis_box(page: Page) -> None:
    box = page.locator(".crisis-box")
    expect(box).to_contain_text("988")
    expect(box.get_by_role("link", name="911")).to_have_attribute("href", "tel:911")


def expect_kept(step: str, question: str, value: object) -> Lead:
    assert ScreeningSession.objects.get().answers[step][question] == value
    lead = Lead.objects.get()
    assert lead.urgent and "suicide-risk" in lead.flags
    assert SafetyAlert.objects.open().filter(lead=lead).exists()
    return lead


def test_with_javascript_off_a_safety_answer_is_kept_on_a_page_with_errors(
    browser: Browser, live_server, boston
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    answer_until(page, live_server, boston, "mood")
    mood = {name: value for name, value in CALM["mood"].items() if name != "q1"}
    fill(page, mood | {"q9": "3"}, boston)  # question 1 left blank
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_text("Please choose an answer to this question.")).to_have_count(1)
    expect_crisis_box(page)
    expect(page.locator('[name="q9"][value="3"]')).to_be_checked()  # what was typed stays
    expect_kept("mood", "9", 3)
    context.close()


def test_with_javascript_off_a_skip_carrying_a_yes_keeps_it_and_goes_on(
    browser: Browser, live_server, boston
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    answer_until(page, live_server, boston, "safety")
    fill(page, {"q1": "yes", "q2": "yes"}, boston)
    page.get_by_role("button", name="Skip these questions").click()

    expect(page).to_have_url(live_server.url + "/screening/step/safety-more/")
    expect_crisis_box(page)
    expect_kept("safety", "2", True)
    context.close()
