"""A clinic admin runs the clinic (browser, axe at 320, 390, 768 and 1280 px): the
schedule, the waitlist, the lead inbox and the open alerts of their location; a page
outside their role is the staff 403 page naming who grants access."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from dendrite.accounts.models import Role
from dendrite.conftest import make_user, sign_in
from dendrite.leads.actions import create_lead
from dendrite.leads.models import Outcome, Source

pytestmark = pytest.mark.browser


def test_the_clinic_admin_opens_the_schedule_leads_waitlist_and_alerts(
    page: Page, live_server, clinic_admin, boston, check_axe
):
    create_lead(
        source=Source.SCREENING, location=boston, name="Matrix Person", phone="+16175550100",
        consent_to_contact=True, triage_outcome=Outcome.URGENT_SAFETY, flags=["suicide-risk"],
    )  # fmt: skip
    paths = [
        reverse("scheduling:day", args=[boston.pk, "2026-12-07"]),
        reverse("scheduling:waitlist"),
        reverse("leads:inbox"),
        reverse("alerts:list"),
    ]
    sign_in(page, live_server, clinic_admin)
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        for width in (320, 390, 768, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            assert check_axe(page) == [], (path, width)
    assert page.get_by_text("Open alert #").count() == 0  # alerts are for clinicians


def test_the_staff_403_page_names_the_clinic_admins(
    page: Page, live_server, front_desk, clinic_admin, check_axe
):
    make_user("olga_other", Role.CLINIC_ADMIN)  # works at no location of the front desk's
    sign_in(page, live_server, front_desk)
    response = page.goto(live_server.url + reverse("accounts:user_list"))
    assert response is not None and response.status == 403
    text = page.inner_text("main")
    assert str(clinic_admin) in text and "Olga" not in text
    assert page.locator("header").count() >= 1
    for width in (320, 390, 768, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert check_axe(page) == [], width
