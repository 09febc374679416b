"""Booking a follow-up on a 390 px phone: "Book a visit", a week of free times, the
confirm page, the booked appointment; then the front desk sees it on the day, marked as
booked by the patient online. axe-core (WCAG 2.1 AA) at 390, 768 and 1280 px on each
new page."""

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from dendrite.conftest import sign_in
from dendrite.scheduling.models import Appointment, OnlineBooking

from .conftest import portal_client
from .test_browser import axe_everywhere

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_patient_books_a_follow_up_on_a_phone(
    page: Page, live_server, alice_in, prescriber, front_desk, check_axe
):
    OnlineBooking.objects.create(location=alice_in.location, follow_ups=True)
    found: dict = {}
    cookie = portal_client(alice_in).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/portal/appointments/")
    page.get_by_role("link", name="Book a visit").click()
    expect(page.get_by_role("heading", name="Book a visit")).to_be_visible()
    axe_everywhere(page, check_axe, found)
    page.get_by_role("link", name="See free times").click()
    expect(page.get_by_role("heading", name="Choose a time")).to_be_visible()
    axe_everywhere(page, check_axe, found)
    # A week with a Monday in it (the first week may start late on a Friday).
    page.get_by_role("link", name="Later week").click()
    axe_everywhere(page, check_axe, found)
    first = page.locator("section .time-choices a").first
    chosen = first.inner_text().split("\n")[0]
    first.click()
    expect(page.get_by_role("heading", name="Confirm your booking")).to_be_visible()
    expect(page.get_by_text(chosen).first).to_be_visible()
    axe_everywhere(page, check_axe, found)
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_text("Your visit is booked.")).to_be_visible()
    axe_everywhere(page, check_axe, found)
    appointment = Appointment.objects.get()
    assert appointment.booked_online and appointment.staff == prescriber

    # The front desk's day shows it, marked as booked online.
    page.context.clear_cookies()
    sign_in(page, live_server, front_desk)
    day = appointment.starts_at.astimezone(appointment.location.tz).date()
    page.goto(f"{live_server.url}/staff/schedule/{appointment.location_id}/{day.isoformat()}/")
    expect(page.locator("text=booked by the patient online >> visible=true").first).to_be_visible()
    assert found == {}
