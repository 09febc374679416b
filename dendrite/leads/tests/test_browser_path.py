"""The whole path in a real browser: an inquiry on the public site → seen in the inbox
→ contacted → converted → the chart opened; axe-core on every staff page it crosses."""

import pytest
from playwright.sync_api import Page, expect

from dendrite.conftest import sign_in
from dendrite.leads.models import Lead
from dendrite.patients.models import Patient

pytestmark = pytest.mark.browser


@pytest.fixture
def quick_form(settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 0  # a test types faster than any person
    return settings


def no_violations(page: Page, check_axe) -> None:
    violations = check_axe(page)
    assert violations == [], violations


def test_an_inquiry_becomes_a_patient_chart(page: Page, live_server, quick_form, boston, nurse,
                                            check_axe):  # fmt: skip
    page.goto(live_server.url + "/contact/")
    page.get_by_label("Your name").fill("Robin Example")
    page.get_by_label("E-mail address").fill("robin@example.test")
    page.get_by_label("Boston (Boston, MA)").check()
    page.get_by_label("Depression").check()
    page.get_by_label("I agree that the clinic may contact me").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    assert Lead.objects.count() == 1

    sign_in(page, live_server, nurse, by_form=True)
    page.get_by_role("link", name="Leads").first.click()
    no_violations(page, check_axe)
    page.get_by_role("link", name="Robin Example").click()
    no_violations(page, check_axe)

    page.get_by_label("How").select_option("phone")
    page.get_by_label("What happened").select_option("reached")
    page.get_by_role("button", name="Log the attempt").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("Contacted")

    page.get_by_label("Legal first name").fill("Robin")
    page.get_by_label("Legal last name").fill("Example")
    page.get_by_label("Date of birth").fill("1988-07-14")
    page.get_by_label("Sex").select_option("unknown")
    page.get_by_role("button", name="Create the chart").click()

    patient = Patient.objects.get()
    expect(page).to_have_url(f"{live_server.url}/staff/patients/{patient.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Robin")
    no_violations(page, check_axe)
    assert Lead.objects.get().patient == patient


def test_the_alerts_pages_have_no_axe_violations(page: Page, live_server, boston, nurse,
                                                 check_axe):  # fmt: skip
    from dendrite.leads.actions import create_lead, update_screening_lead
    from dendrite.leads.models import Outcome, Source

    lead = create_lead(
        source=Source.SCREENING, location=boston, name="Sky Sample", phone="+16175550111",
        consent_to_contact=True, triage_outcome=Outcome.INCOMPLETE,
    )  # fmt: skip
    answers = {"safety": {"phq-9": {"9": 3}}}
    update_screening_lead(
        lead, triage_outcome=Outcome.URGENT_SAFETY, flags=["suicide-risk"], answers=answers
    )
    sign_in(page, live_server, nurse, by_form=True)
    expect(page.get_by_role("alert")).to_contain_text("1 open safety alert")
    no_violations(page, check_axe)
    page.get_by_role("link", name="call back and record what happened now").click()
    no_violations(page, check_axe)
    page.get_by_role("link", name="Open alert").first.click()
    expect(page.get_by_text("Nearly every day")).to_be_visible()
    no_violations(page, check_axe)
    page.get_by_role("button", name="I am handling this alert").click()
    expect(page.get_by_text("being handled by")).to_be_visible()
    page.get_by_label("Reached the person: safe for now, with a safety plan").check()
    page.get_by_role("button", name="Record the outcome and close the alert").click()
    expect(page.get_by_text("No open safety alerts.")).to_be_visible()
