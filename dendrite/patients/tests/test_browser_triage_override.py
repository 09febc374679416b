"""A prescriber clears the triage condition of the booking gate from the chart, in a real
Chromium, with axe-core (WCAG 2.1 AA) on the override page at 320 px and on the chart."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from dendrite.conftest import sign_in
from dendrite.leads.models import Lead, Outcome, Source
from dendrite.patients.models import TriageOverride

from .test_browser_chart import NARROW, assert_no_axe_violations

pytestmark = pytest.mark.browser


def test_a_prescriber_overrides_the_triage_from_the_chart(
    page: Page, live_server, prescriber, alice, check_axe
):
    Lead.objects.create(
        source=Source.SCREENING, location=alice.location, name="Synthetic Person",
        email="person@example.test", triage_outcome=Outcome.NOT_SUITABLE_NOW, patient=alice,
    )  # fmt: skip
    sign_in(page, live_server, prescriber)
    page.goto(live_server.url + reverse("patients:chart", args=[alice.pk]))
    expect(page.get_by_text("Infusions cannot be booked yet:")).to_be_visible()
    assert "found ketamine not suitable for this patient" in page.content()
    page.get_by_role("link", name="Record an override").first.click()
    page.set_viewport_size(NARROW)
    assert_no_axe_violations(page, check_axe)
    page.get_by_label("Why infusions may go ahead").fill("Reviewed at the consultation.")
    page.get_by_role("button", name="Record the override").click()
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.get_by_text("Your override is recorded.")).to_be_visible()
    expect(page.get_by_role("cell", name="Reviewed at the consultation.")).to_be_visible()
    assert TriageOverride.objects.get().by == prescriber
    assert "found ketamine not suitable for this patient" not in page.content()
    assert_no_axe_violations(page, check_axe)
