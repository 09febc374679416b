"""In a real browser: a self-screening, then the contact form comes filled in with what the
screening was given; staff see one lead with both submissions in its history. axe-core at
390, 768 and 1280 px on the filled-in form and the lead page."""

import pytest
from playwright.sync_api import Page, expect

from dendrite.conftest import sign_in
from dendrite.leads.models import Lead

pytestmark = pytest.mark.browser

WIDTHS = (390, 768, 1280)


@pytest.fixture
def quick_form(settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 0  # a test types faster than any person
    return settings


def no_violations_at_every_width(page: Page, check_axe) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        violations = check_axe(page)
        assert violations == [], f"{width} px: {violations}"


def test_a_screening_then_a_message_is_one_lead_with_both_in_its_history(
    page: Page, live_server, quick_form, boston, nurse, check_axe
):
    page.goto(live_server.url + "/screening/step/contact/")
    page.locator('[name="age_band"][value="35-44"]').check()
    page.locator('[name="name"]').fill("Robin Example")
    page.locator('[name="email"]').fill("robin@example.test")
    page.locator('[name="phone"]').fill("617-555-0142")
    page.locator(f'[name="location"][value="{boston.pk}"]').check()
    page.locator('[name="sex"][value="female"]').check()
    page.locator('[name="consent"]').check()
    page.get_by_role("button", name="Next").click()
    expect(page).to_have_url(live_server.url + "/screening/step/mood/")

    page.goto(live_server.url + "/contact/")
    expect(page.get_by_text("We filled in what you gave us in the self-screening")).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_value("Robin Example")
    expect(page.get_by_label("E-mail address")).to_have_value("robin@example.test")
    expect(page.get_by_label("Phone number")).to_have_value("(617) 555-0142")
    no_violations_at_every_width(page, check_axe)
    page.get_by_label("Phone number").fill("(617) 555-0199")  # still editable
    page.get_by_label("Boston (Boston, MA)").check()
    page.get_by_label("Depression").check()
    page.get_by_label("Anything else you would like us to know?").fill("Do you take insurance?")
    page.get_by_label("I agree that the clinic may contact me").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    assert Lead.objects.count() == 2 and Lead.objects.people().count() == 1

    sign_in(page, live_server, nurse, by_form=True)
    page.goto(live_server.url + "/staff/leads/")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("2 submissions")
    page.get_by_role("link", name="Robin Example").click()
    history = page.locator("ol.submissions > li")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Self-screening")
    expect(history.nth(1)).to_contain_text("Inquiry form")
    expect(history.nth(1)).to_contain_text("Do you take insurance?")
    expect(page.locator(".facts")).to_contain_text("(617) 555-0199")  # the newer number
    no_violations_at_every_width(page, check_axe)

    # The same name, another address: offered, not linked; staff link it in one click.
    from dendrite.leads.actions import create_lead
    from dendrite.leads.models import Source

    create_lead(
        source=Source.INQUIRY, location=boston, name="Robin Example",
        email="robin.other@example.test", consent_to_contact=True, reasons=["anxiety"],
    )  # fmt: skip
    page.reload()
    expect(page.get_by_text("Possibly the same person as")).to_be_visible()
    no_violations_at_every_width(page, check_axe)
    page.get_by_role("button", name="Link these leads").click()
    expect(page.get_by_text("The leads are linked")).to_be_visible()
    expect(page.locator("ol.submissions > li")).to_have_count(3)
