"""axe-core (WCAG 2.1 AA) on the Part 2 consent pages at 390 px, with a refused form and
the chart's disclosures section listing consents; nothing wider than the screen."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from dendrite.conftest import sign_in
from dendrite.fhir.actions import record_consent
from dendrite.fhir.models import DisclosureConsent

pytestmark = pytest.mark.browser


def test_the_consent_pages_have_no_axe_violations_at_390_px(
    page: Page, live_server, alice, prescriber, check_axe
):
    today = dt.date.today()
    row = record_consent(
        DisclosureConsent(
            patient=alice, recipient_name="Dr Grace Hopper", purpose="treatment",
            starts_on=today, ends_on=today + dt.timedelta(days=30),
        ),
        prescriber,
    )  # fmt: skip
    sign_in(page, live_server, prescriber)
    page.set_viewport_size({"width": 390, "height": 900})
    new = reverse("disclosures:consent_new", args=[alice.pk])
    revoke = reverse("disclosures:consent_revoke", args=[alice.pk, row.pk])
    chart = reverse("patients:chart", args=[alice.pk])
    for path in (new, revoke, chart):
        page.goto(live_server.url + path)
        assert check_axe(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth <= 390"), path
    # A refused form, reached by keyboard only, keeps what was typed and names the field.
    page.goto(live_server.url + new)
    page.get_by_label("Recipient", exact=True).fill("Dr Ada Byron")
    page.get_by_label("Signed on").fill(today.isoformat())
    page.get_by_label("Expires on").fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Record the consent").press("Enter")
    page.wait_for_load_state()
    assert page.get_by_label("Recipient", exact=True).input_value() == "Dr Ada Byron"
    assert page.get_by_text("expire on or after the day it was signed").is_visible()
    assert check_axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= 390")
    assert DisclosureConsent.objects.count() == 1
