"""axe-core (WCAG 2.1 AA) on the dashboard and a list behind a figure, with data on them,
at 390, 768 and 1280 px; nothing wider than the screen at 390 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from dendrite.conftest import sign_in
from dendrite.tests.test_browser_staff_pages import sweep

from .test_dashboard import clinic
from .test_relapse_chairs import chairs, cohort

pytestmark = pytest.mark.browser

QUERY = "?from_month=2026-11&to_month=2026-11"
JANUARY = "?from_month=2026-01&to_month=2026-01"  # relapse and the chair heat map


def test_the_dashboard_has_no_axe_violations(
    page: Page, live_server, boston, hartford, prescriber, nurse, check_axe
):
    clinic(boston, hartford, prescriber, nurse)
    cohort(boston, nurse)
    chairs(boston, nurse)
    paths = [
        reverse("dashboard:dashboard") + JANUARY,
        reverse("dashboard:behind", args=["relapse90_relapsed"]) + JANUARY,
        reverse("dashboard:dashboard") + QUERY,
        reverse("dashboard:dashboard") + "?from_month=never",
        reverse("dashboard:behind", args=["completed"]) + QUERY,
        reverse("dashboard:behind", args=["no_shows"]) + QUERY,
    ]
    sign_in(page, live_server, prescriber)
    for width in (1280, 768, 390):
        page.set_viewport_size({"width": width, "height": 900})
        sweep(page, live_server, check_axe, paths)
    for path in paths:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth <= 390"), path
