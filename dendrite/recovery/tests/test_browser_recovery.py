"""In a real browser: a patient fills the diary on a 390 px phone and changes a day, a
nurse fills a Timeline Followback month by keyboard, a prescriber writes, signs and
exports a safety plan (English and Spanish); axe-core (WCAG 2.1 AA) on every recovery
page at 320, 390, 768 and 1280 px."""

import datetime as dt
import secrets
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from dendrite import dates
from dendrite.conftest import current_code, sign_in
from dendrite.recovery import access, actions
from dendrite.recovery.models import DiaryLink, DrinkingDay, Plan, Source, hash_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (320, 390, 768, 1280)


def axe_everywhere(page: Page, live_server, paths: list[str], check_axe) -> dict:
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            if violations := check_axe(page):
                found[(width, path)] = violations
    return found


def test_a_patient_fills_the_diary_on_a_phone_and_changes_a_day(
    page: Page, live_server, alice, nurse, check_axe
):
    token = secrets.token_urlsafe(32)
    DiaryLink.objects.create(
        patient=alice, token_hash=hash_token(token), created_by=nurse,
        expires_at=timezone.now() + dt.timedelta(days=365),
    )  # fmt: skip
    today = access.local_today(alice)
    yesterday = today - dt.timedelta(days=1)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("recovery:diary_open", args=[token]))
    expect(page.get_by_role("heading", name="My drinking diary")).to_be_visible()
    assert token not in page.url
    page.get_by_label("Standard drinks").fill("2")
    page.get_by_label("Craving, from 0 (none) to 10 (the strongest)").fill("5")
    page.get_by_role("button", name="Save this day").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    # Yesterday, worked out with the helper: 2 pints of 6% beer.
    page.get_by_role("link", name=f"Add {dates.day(yesterday)}").click()
    page.get_by_text("Work out standard drinks").click()
    page.get_by_label("How many").fill("2")
    page.get_by_label("Size of each").fill("1")
    page.get_by_label("Unit").select_option("pint")
    page.get_by_label("Alcohol, % by volume").fill("6")
    page.get_by_role("button", name="Work it out").click()
    expect(page.get_by_label("Standard drinks")).to_have_value("3.2")
    page.get_by_role("button", name="Save this day").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    # Today again: edited, not doubled.
    page.get_by_role("link", name=f"Change {dates.day(today)}").click()
    expect(page.get_by_label("Standard drinks")).to_have_value("2.0")
    page.get_by_label("Standard drinks").fill("3")
    page.get_by_role("button", name="Save this day").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    assert dict(DrinkingDay.objects.values_list("day", "drinks")) == {
        today: Decimal(3),
        yesterday: Decimal("3.2"),
    }
    # A day in the future is refused with a message tied to the field.
    page.get_by_label("Day").fill((today + dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Save this day").click()
    expect(page.get_by_text("That day has not come yet.")).to_be_visible()
    paths = [reverse("recovery:diary"), reverse("recovery:diary") + f"?day={today}"]
    assert axe_everywhere(page, live_server, paths, check_axe) == {}


def test_a_nurse_fills_a_followback_month_by_keyboard(
    page: Page, live_server, alice, nurse, check_axe
):
    end = access.local_today(alice) - dt.timedelta(days=1)
    first = end - dt.timedelta(days=29)
    actions.set_marker(alice, day=first + dt.timedelta(days=2), text="Sister's birthday", by=nurse)
    sign_in(page, live_server, nurse)
    page.set_viewport_size({"width": 768, "height": 900})
    page.goto(live_server.url + reverse("recovery:followback", args=[alice.pk]))
    expect(page.get_by_text("Sister's birthday")).to_be_visible()
    page.locator(f"#id_d{first.isoformat()}").focus()
    for n in range(30):
        page.keyboard.type("6" if n == 2 else "0")
        page.keyboard.press("Tab")
    # After the last day, Tab has reached the save button.
    page.keyboard.press("Enter")
    expect(page.get_by_text("Saved 30 days of the Timeline Followback.")).to_be_visible()
    days = dict(DrinkingDay.objects.values_list("day", "drinks"))
    assert len(days) == 30
    assert days[first + dt.timedelta(days=2)] == 6
    assert set(DrinkingDay.objects.values_list("source", flat=True)) == {Source.TLFB}
    paths = [
        reverse("recovery:followback", args=[alice.pk]),
        reverse("recovery:overview", args=[alice.pk]),
        reverse("recovery:day_entry", args=[alice.pk]),
    ]
    assert axe_everywhere(page, live_server, paths, check_axe) == {}
    # The chart is not ours: only what axe finds in its recovery section counts here.
    chart = [reverse("patients:chart", args=[alice.pk])]
    found = axe_everywhere(page, live_server, chart, check_axe)
    ours = [v for vs in found.values() for v in vs if "recovery" in str(v["nodes"])]
    assert ours == []


def test_a_safety_plan_is_written_signed_and_exported(
    page: Page, live_server, alice, prescriber, check_axe
):
    sign_in(page, live_server, prescriber)
    page.goto(live_server.url + reverse("recovery:plan_edit", args=[alice.pk, "safety"]))
    page.get_by_label("Step 1: Warning signs").fill("Not sleeping; skipping meals")
    page.get_by_label("Step 4: People I can ask for help").fill("Sam (sister)")
    page.get_by_label("Step 6: Making my surroundings safer").fill("Sam keeps the car keys")
    page.get_by_label("Your own six-digit code, to sign").fill(current_code(prescriber))
    page.get_by_role("button", name="Sign this version").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Safety plan")
    expect(page.get_by_text("Version 1, signed by Priya Tester")).to_be_visible()
    expect(page.get_by_text("988 Suicide & Crisis Lifeline")).to_be_visible()
    plan = Plan.objects.get()
    for language in ("en", "es"):
        pdf = page.request.get(
            live_server.url + reverse("recovery:plan_pdf", args=[plan.pk]) + f"?language={language}"
        )
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.headers["content-disposition"] == 'inline; filename="safety-plan.pdf"'
        assert pdf.body().startswith(b"%PDF")
    page.get_by_role("link", name="Show in Spanish").click()
    expect(page.get_by_text("Paso 6: Hacer más seguro mi entorno")).to_be_visible()
    expect(page.get_by_text("Sam keeps the car keys")).to_be_visible()
    actions.sign_plan(alice, kind="relapse", content={"triggers": "Friday nights"}, by=prescriber)
    paths = [
        reverse("recovery:plan_edit", args=[alice.pk, "safety"]),
        reverse("recovery:plan_edit", args=[alice.pk, "relapse"]),
        reverse("recovery:plan", args=[plan.pk]),
        reverse("recovery:plan", args=[plan.pk]) + "?language=es",
    ]
    assert axe_everywhere(page, live_server, paths, check_axe) == {}
