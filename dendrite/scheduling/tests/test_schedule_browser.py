"""The schedule in a real Chromium: a nurse books Alice's induction series from her
chart, then walks the first day of it by keyboard; axe-core (WCAG 2.1 AA) on every page,
and the day view on a 320 px screen."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import Page, expect

from dendrite.conftest import sign_in
from dendrite.patients.tests.test_browser_chart import assert_no_axe_violations
from dendrite.scheduling.models import Appointment

from .conftest import clear_for_infusions, next_weekday

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}


def test_a_nurse_books_a_series_and_walks_its_first_day_by_keyboard(
    page: Page, live_server, nurse, alice, check_axe
):
    clear_for_infusions(alice, nurse)
    monday = next_weekday(0)
    sign_in(page, live_server, nurse)
    page.goto(live_server.url + reverse("patients:chart", args=[alice.pk]))
    assert_no_axe_violations(page, check_axe)
    page.get_by_role("link", name="Book an induction series").click()
    page.get_by_label("First infusion on or after").fill(monday.isoformat())
    page.get_by_label("Preferred time of day").fill("09:00")
    page.get_by_role("button", name="Plan the series").click()
    expect(page.get_by_role("table", name="6 planned infusions")).to_be_visible()
    assert_no_axe_violations(page, check_axe)
    page.get_by_role("button", name="Book all 6").click()
    expect(page.get_by_text("All 6 infusions are booked.")).to_be_visible()
    expect(page.get_by_text("0 of 6 done")).to_be_visible()

    # Check-in opens on the day (the location's window): go to the first infusion's start.
    first = Appointment.objects.filter(patient=alice).order_by("starts_at").first()
    with time_machine.travel(first.starts_at - dt.timedelta(minutes=10)):
        sign_in(page, live_server, nurse)
        page.goto(
            live_server.url
            + reverse("scheduling:day", args=[alice.location_id, monday.isoformat()])
        )
        expect(page.get_by_role("link", name="Alice Lovelace").first).to_be_visible()
        assert_no_axe_violations(page, check_axe)
        # By keyboard alone: tab to the appointment's "Check in" button and press Enter.
        check_in = page.get_by_role(
            "button", name=re.compile(r"^Check in\s*: Alice Lovelace")
        ).first
        for _ in range(60):
            page.keyboard.press("Tab")
            if check_in.evaluate("button => button === document.activeElement"):
                break
        else:
            pytest.fail("Tab never reached the Check in button")
        page.keyboard.press("Enter")
        expect(page.get_by_text("The appointment is now “Checked in”.")).to_be_visible()
        expect(page.get_by_text("Infusion, 1 of 6").first).to_be_visible()

        page.set_viewport_size(NARROW)
        page.reload()
        expect(page.get_by_role("heading", name="In order of time")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
        assert_no_axe_violations(page, check_axe)


def test_the_booking_page_passes_axe_at_320_pixels(
    page: Page, live_server, front_desk, prescriber, alice, check_axe
):
    page.set_viewport_size(NARROW)
    sign_in(page, live_server, front_desk)
    page.goto(live_server.url + reverse("scheduling:book", args=[alice.pk]))
    page.get_by_role("button", name="Book this time").click()  # no time chosen
    expect(page.get_by_text("Please choose one of the free times.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    assert_no_axe_violations(page, check_axe)
