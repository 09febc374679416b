"""axe-core (WCAG 2.1 AA) on the task pages at 320, 768 and 1280 px, and a task closed
by keyboard as a prescriber would."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from dendrite.accounts.models import Role
from dendrite.conftest import sign_in
from dendrite.worklist import actions
from dendrite.worklist.models import Kind, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_prescriber_closes_a_booster_review_by_keyboard(
    page: Page, live_server, alice, prescriber, check_axe
):
    task = actions.open_task(
        patient=alice,
        kind=Kind.BOOSTER_REVIEW,
        title="Review for a booster",
        detail="PHQ-9 back to 14 on two check-ins in a row.",
        due_on=dt.date(2020, 1, 1),  # overdue
        role=Role.PRESCRIBER,
        key="booster:browser",
    )
    sign_in(page, live_server, prescriber)
    paths = [
        reverse("worklist:my_tasks"),
        reverse("worklist:my_tasks") + "?show=all",
        reverse("worklist:task", args=[task.pk]),
    ]
    found = {}
    for width in (320, 768, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            if violations := check_axe(page):
                found[(width, path)] = violations
    assert found == {}

    page.goto(live_server.url + reverse("worklist:my_tasks"))
    expect(page.get_by_text("overdue").first).to_be_visible()
    page.get_by_role("link", name="Review for a booster").focus()
    page.keyboard.press("Enter")
    page.get_by_label("What happened").focus()
    page.keyboard.type("Booked a booster for next week.")
    page.get_by_role("button", name="Close the task").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Task closed.")).to_be_visible()
    expect(page.get_by_text("Nothing to do here right now.")).to_be_visible()
    task.refresh_from_db()
    assert task.status == Status.DONE
