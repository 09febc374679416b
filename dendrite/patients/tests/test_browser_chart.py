"""The chart in a real Chromium: axe-core (WCAG 2.1 AA) and a 320 px screen.

Each test signs a nurse in with a session that already passed both sign-in steps (the
sign-in itself is tested in dendrite/tests/test_browser.py) and drives the live server.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from dendrite.conftest import sign_in

from .conftest import add_allergy, add_contact, add_diagnosis, add_medication, add_response

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


def assert_no_axe_violations(page: Page, check_axe) -> None:
    violations = check_axe(page)
    assert violations == [], f"axe-core found on {page.url}:\n" + "\n".join(
        f"- {v['id']}: {v['help']} at {v['nodes']}" for v in violations
    )


@pytest.fixture
def full_chart(nurse, alice):
    """Alice with something in every section, so axe sees every table and form."""
    add_diagnosis(alice, nurse)
    add_medication(alice, nurse)
    add_allergy(alice, nurse)
    add_contact(alice)
    add_response(alice, [3, 3, 3, 3, 3, 2, 2, 2, 1])  # severe, item 9 flagged
    return alice


def test_the_patient_list_passes_axe(page: Page, live_server, nurse, alice, bob, check_axe):
    sign_in(page, live_server, nurse)
    page.goto(live_server.url + reverse("patients:patient_list"))
    page.get_by_label("Search by name, date of birth, MRN or phone").fill("Lovelace")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Lovelace, Alice")).to_be_visible()
    assert_no_axe_violations(page, check_axe)


def test_the_chart_passes_axe(page: Page, live_server, nurse, full_chart, check_axe):
    sign_in(page, live_server, nurse)
    page.goto(live_server.url + reverse("patients:chart", args=[full_chart.pk]))
    expect(page.get_by_role("heading", name="Medical history for ketamine")).to_be_visible()
    assert_no_axe_violations(page, check_axe)


def test_a_refused_edit_form_passes_axe_with_its_errors(
    page: Page, live_server, nurse, alice, check_axe
):
    sign_in(page, live_server, nurse)
    page.goto(live_server.url + reverse("patients:patient_edit", args=[alice.pk]))
    page.get_by_label("Legal last name").fill("")
    page.get_by_label("Phone").fill("12")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the fields marked below.")
    expect(page.get_by_text("Please enter the legal last name.")).to_be_visible()
    assert_no_axe_violations(page, check_axe)


def test_the_history_form_passes_axe(page: Page, live_server, nurse, alice, check_axe):
    sign_in(page, live_server, nurse)
    page.goto(live_server.url + reverse("patients:history_edit", args=[alice.pk]))
    page.get_by_role("button", name="Save the history").click()  # nothing answered
    expect(page.get_by_text("Please answer yes, no or not known.").first).to_be_visible()
    assert_no_axe_violations(page, check_axe)


def test_the_chart_fits_a_320_pixel_screen(page: Page, live_server, nurse, full_chart):
    page.set_viewport_size(NARROW)
    sign_in(page, live_server, nurse)
    page.goto(live_server.url + reverse("patients:chart", args=[full_chart.pk]))
    expect(page.get_by_role("heading", name="Documents")).to_be_attached()
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
