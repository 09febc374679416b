"""The public site in a real Chromium (Playwright): axe-core finds nothing on any page in
English or Spanish, nor on the form showing its errors; nothing scrolls sideways on a
320 px screen; the inquiry form works with the keyboard alone; and an inquiry sent while
the mail server is down is safely in the database."""

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from dendrite.leads.models import Lead
from dendrite.tests.test_mail import MAIL_SERVER_DOWN, MailServerDown

from .helpers import PAGES

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
LANGUAGES = ["en", "es"]


@pytest.fixture
def quick_form(settings):
    """A person with autofill may be fast; the browser tests need not wait 3 seconds."""
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    return settings


def visit(page: Page, live_server, name: str, language: str = "en") -> None:
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    response = page.goto(live_server.url + reverse(name))
    assert response is not None and response.ok


def assert_no_axe_violations(page: Page, check_axe) -> None:
    violations = check_axe(page)
    assert violations == [], f"axe-core found on {page.url}:\n" + "\n".join(
        f"- {v['id']}: {v['help']} at {v['nodes']}" for v in violations
    )


def tab_to(page: Page, target: Locator, most: int = 60) -> None:
    """Press Tab until the target has the focus, as a keyboard user would."""
    for _ in range(most):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(target).to_be_focused()


@pytest.mark.parametrize("name", PAGES)
def test_every_public_page_has_no_axe_violations_in_english_and_spanish(
    page: Page, live_server, inboxes, check_axe, name
):
    for language, heading in zip(LANGUAGES, PAGES[name], strict=True):
        visit(page, live_server, name, language)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_no_axe_violations(page, check_axe)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_contact_form_showing_its_errors_has_no_axe_violations(
    page: Page, live_server, inboxes, check_axe, quick_form, language
):
    visit(page, live_server, "website:contact", language)
    page.locator("form.inquiry button[type=submit]").click()
    expect(page.locator(".form-summary")).to_be_visible()
    assert page.locator(".errors").count() >= 4
    assert_no_axe_violations(page, check_axe)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_public_page_scrolls_sideways_on_a_320_pixel_screen(
    page: Page, live_server, inboxes, quick_form, language
):
    page.set_viewport_size(NARROW)
    for name in PAGES:
        visit(page, live_server, name, language)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= NARROW["width"], f"{name} in {language} is {width} px wide"
    visit(page, live_server, "website:contact", language)
    page.locator("form.inquiry button[type=submit]").click()
    expect(page.locator(".form-summary")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


def test_the_inquiry_form_can_be_filled_in_and_sent_with_the_keyboard_alone(
    page: Page, live_server, inboxes, quick_form
):
    visit(page, live_server, "website:contact")
    tab_to(page, page.get_by_label("Your name"))
    page.keyboard.type("Kim Keyboard")
    page.keyboard.press("Tab")
    expect(page.get_by_label("E-mail address")).to_be_focused()
    page.keyboard.type("kim@example.test")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Phone number")).to_be_focused()
    page.keyboard.type("(860) 555-0178")
    page.keyboard.press("Tab")  # into the contact-method radios: the first one
    expect(page.get_by_label("A phone call")).to_be_focused()
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Boston (Boston, MA)"))  # a radio group is one tab stop
    page.keyboard.press("ArrowDown")  # …whose arrow keys move and choose
    expect(page.get_by_label("West Hartford (West Hartford, CT)")).to_be_checked()
    tab_to(page, page.get_by_label("Anxiety", exact=True))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Anything else you would like us to know?"))
    page.keyboard.type("Mornings are best.")
    page.keyboard.press("Tab")  # past the robots' trap, straight to the next real field
    expect(page.get_by_label("How did you hear about us?")).to_be_focused()
    tab_to(page, page.get_by_label("I agree that the clinic may contact me"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Send message"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: we have your message")
    lead = Lead.objects.get()
    assert (lead.name, lead.phone, lead.location) == (
        "Kim Keyboard",
        "+18605550178",
        inboxes["hartford"],
    )
    assert lead.reasons == ["anxiety"] and lead.preferred_contact_method == "phone"


def test_an_inquiry_sent_in_the_browser_while_mail_is_down_is_in_the_database(
    page: Page, live_server, inboxes, quick_form
):
    MailServerDown.attempts = 0
    quick_form.MAILERS = MAIL_SERVER_DOWN
    visit(page, live_server, "website:contact")
    page.get_by_label("Your name").fill("Mo Maildown")
    page.get_by_label("E-mail address").fill("mo@example.test")
    page.get_by_label("Boston (Boston, MA)").check()
    page.get_by_label("Depression", exact=True).check()
    page.get_by_label("I agree that the clinic may contact me").check()
    page.get_by_role("button", name="Send message").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: we have your message")
    lead = Lead.objects.get()
    assert lead.email == "mo@example.test" and lead.location == inboxes["boston"]


def test_the_language_switch_works_without_javascript(browser, live_server, inboxes):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + reverse("website:faq"))
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preguntas frecuentes")
    assert page.url == live_server.url + reverse("website:faq")
    context.close()
