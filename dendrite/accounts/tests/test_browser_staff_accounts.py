"""axe-core (WCAG 2.1 AA) on the staff-accounts pages: a role waiting, the confirmations."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from dendrite.accounts.actions import ask_for_role
from dendrite.accounts.models import Role
from dendrite.conftest import make_user, sign_in
from dendrite.tests.test_browser_staff_pages import sweep

pytestmark = pytest.mark.browser


def test_staff_account_pages_have_no_axe_violations(
    page: Page, live_server, clinic_admin, boston, nurse, check_axe
):
    second = make_user("alma_admin", Role.CLINIC_ADMIN, boston)
    role_request = ask_for_role(nurse, Role.PRESCRIBER, by=second)
    sign_in(page, live_server, clinic_admin)
    sweep(
        page,
        live_server,
        check_axe,
        [
            reverse("accounts:user_list"),
            reverse("accounts:user_edit", args=[nurse.pk]),
            reverse("accounts:user_reset_mfa", args=[nurse.pk]),
            reverse("accounts:user_send_password_link", args=[nurse.pk]),
            reverse("accounts:role_request_approve", args=[role_request.pk]),
        ],
    )
    assert page.get_by_role("heading", level=1).inner_text() == "Approve a new role for Nora Tester"
