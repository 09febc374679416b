"""axe-core (WCAG 2.1 AA) on every page of the ketamine log, at 320, 768 and 1280 px wide,
and a count signed through the browser as a nurse would."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from dendrite.accounts.mfa import new_recovery_codes
from dendrite.clinics.models import OpeningHours
from dendrite.controlled.models import Count
from dendrite.tests.test_browser_staff_pages import sign_in

from .conftest import administer, infusion_for, receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 768, 1280)


def sweep(page: Page, live_server, check_axe, paths: list[str]) -> None:
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            if violations := check_axe(page):
                found[(width, path)] = violations
    assert found == {}


def a_log(boston, nurse, prescriber, alice):
    vials = list(receive(boston, nurse).vials.order_by("number"))
    administer(vials[0], infusion_for(alice, nurse), nurse, prescriber)
    return vials


def test_the_clinicians_pages_have_no_axe_violations(
    page: Page, live_server, boston, nurse, prescriber, alice, check_axe
):
    vials = a_log(boston, nurse, prescriber, alice)
    sign_in(page, live_server, nurse)
    location = [boston.pk]
    sweep(
        page, live_server, check_axe,
        [
            reverse("controlled:log", args=location),
            reverse("controlled:vial", args=[vials[0].pk]),
            reverse("controlled:receive", args=location),
            reverse("controlled:count_new", args=location) + "?kind=daily",
            reverse("controlled:loss", args=location),
            reverse("controlled:dispose", args=location),
        ],
    )  # fmt: skip


def test_a_count_with_a_difference_is_explained_and_signed_in_the_browser(
    page: Page, live_server, boston, nurse, prescriber, alice, check_axe
):
    vials = a_log(boston, nurse, prescriber, alice)
    sign_in(page, live_server, nurse)
    # Signing in used this 30 seconds' app code, and each code works once: sign with a
    # recovery code, which the signature accepts as well.
    recovery_code = new_recovery_codes(nurse)[0]
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server.url + reverse("controlled:count_new", args=[boston.pk]))
    page.get_by_label("At the close of business").check()
    page.get_by_label(f"{vials[0].label}: volume found (mL)").fill("7")
    page.get_by_label(f"{vials[1].label}: volume found (mL)").fill("10")
    page.get_by_label("Your own six-digit code").fill("123456")
    page.get_by_role("button", name="Sign the count").click()
    expect(page.get_by_text("Please explain the difference.")).to_be_visible()
    assert check_axe(page) == []  # the page with its errors
    page.get_by_label("Explanation of any difference").fill("A drop spilt when drawing.")
    page.get_by_label("Your own six-digit code").fill(recovery_code)
    page.get_by_role("button", name="Sign the count").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Daily count")
    assert check_axe(page) == []
    count = Count.objects.get()
    assert count.has_discrepancy and count.counted_ml == 17
    page.set_viewport_size({"width": 1280, "height": 800})
    assert check_axe(page) == []


def test_the_admins_pages_have_no_axe_violations(
    page: Page, live_server, boston, hartford, nurse, prescriber, clinic_admin, alice, check_axe
):
    a_log(boston, nurse, prescriber, alice)
    clinic_admin.locations.add(hartford)  # two locations: the log starts with a choice
    sign_in(page, live_server, clinic_admin)
    sweep(
        page, live_server, check_axe,
        [reverse("controlled:index"), reverse("controlled:log", args=[boston.pk])],
    )  # fmt: skip


def test_the_log_with_its_count_and_inventory_notices_has_no_axe_violations(
    page: Page, live_server, boston, nurse, prescriber, alice, check_axe
):
    a_log(boston, nurse, prescriber, alice)
    # Open every day from midnight, the count due at once: today's count is late, and no
    # initial inventory has been taken.
    for weekday in (5, 6):
        OpeningHours.objects.create(
            location=boston, weekday=weekday, opens=dt.time(0), closes=dt.time(23, 59)
        )
    boston.daily_count_due_by = dt.time(0)
    boston.save()
    sign_in(page, live_server, nurse)
    sweep(page, live_server, check_axe, [reverse("controlled:log", args=[boston.pk])])
    expect(page.get_by_text("Today's daily count has not been signed yet.")).to_be_visible()
    expect(page.get_by_text("No initial inventory has been taken")).to_be_visible()
    page.get_by_role("link", name="Take the daily count").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
