"""Issue 13 in a real Chromium: the public site on a 390 px phone (the menu folds and works
without JavaScript, the screening starts on the first screen, answers are large touch
targets), the anti-spam timer keeps what was typed, the back office looks like Dendrite,
and axe-core finds nothing on those pages at 390, 768 and 1280 px."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from dendrite.leads.models import Lead
from dendrite.scheduling.models import AppointmentType, SeriesProtocol, WorkingHours

from .test_staff_words import Text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WIDTHS = (390, 768, 1280)
MONDAY = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC)


def assert_no_axe_violations(page: Page, check_axe) -> None:
    violations = check_axe(page)
    assert violations == [], f"axe-core found on {page.url} at {page.viewport_size}:\n" + (
        "\n".join(f"- {v['id']}: {v['help']} at {v['nodes']}" for v in violations)
    )


def above_the_fold(page: Page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    assert box is not None
    return box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def test_on_a_phone_the_screening_starts_on_the_first_screen(page: Page, live_server, boston):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("screening:start"))
    start = page.get_by_role("link", name="Start the screening").first
    expect(start).to_be_visible()
    assert above_the_fold(page, "main .button")
    # The menu is folded: its links take no room until asked for.
    expect(page.get_by_role("link", name="Depression and anxiety")).to_be_hidden()
    start.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Step 1 of 8: About you")
    expect(page).to_have_title("Step 1 of 8: About you · Self-screening · Dendrite")


def test_the_menu_works_without_javascript(browser, live_server, boston):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + reverse("website:home"))
    menu = page.locator("summary", has_text="Menu")
    contact = page.get_by_role("navigation", name="Main").get_by_role("link", name="Contact us")
    expect(contact).to_be_hidden()
    menu.click()
    expect(contact).to_be_visible()
    contact.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact us")
    context.close()


def test_on_a_wide_screen_the_menu_is_simply_there(page: Page, live_server, boston):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + reverse("website:home"))
    expect(page.locator("summary", has_text="Menu")).to_be_hidden()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Contact us")).to_be_visible()
    expect(page.get_by_label("Language")).to_be_visible()


def test_every_answer_is_a_large_touch_target(page: Page, live_server, boston, settings):
    settings.SCREENING_MIN_FILL_SECONDS = 0
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("screening:contact"))
    page.get_by_label("35 to 44").check()
    page.get_by_label("Your name").fill("Dana Example")
    page.get_by_label("E-mail address").fill("dana@example.test")
    page.get_by_label("Female", exact=True).check()
    page.locator(f"input[name=location][value='{boston.pk}']").check()
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Step 2 of 8: Mood")
    labels = page.locator(".choice label")
    assert labels.count() >= 27  # nine questions, at least three answers each
    for box in (labels.nth(n).bounding_box() for n in range(labels.count())):
        assert box is not None and box["height"] >= 44 and box["width"] >= 44


def test_the_spam_timer_keeps_what_was_typed(page: Page, live_server, boston, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("website:contact"))
    page.get_by_label("Your name").fill("Dana Example")
    page.get_by_label("E-mail address").fill("dana@example.test")
    page.locator(f"input[name=location][value='{boston.pk}']").check()
    page.get_by_label("Depression", exact=True).check()
    message = page.get_by_label("Anything else you would like us to know?")
    message.fill("I would like to know more about infusions.")
    page.get_by_label("I agree that the clinic may contact me about this message.").check()
    page.get_by_role("button", name="Send").click()  # at once: quicker than a person
    expect(page.get_by_text("Everything you wrote is still here")).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_value("Dana Example")
    expect(page.get_by_label("Depression", exact=True)).to_be_checked()
    expect(message).to_have_value("I would like to know more about infusions.")
    assert not Lead.objects.exists()
    time_machine.shift(dt.timedelta(seconds=30))
    page.get_by_role("button", name="Send").click()
    summary = page.locator(".form-summary")
    assert summary.count() == 0, page.locator(".errors").all_inner_texts()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    assert Lead.objects.get().name == "Dana Example"


def test_the_first_screening_page_keeps_what_was_typed_too(
    page: Page, live_server, boston, settings
):
    settings.SCREENING_MIN_FILL_SECONDS = 3600  # nobody is that slow: always "too fast"
    page.goto(live_server.url + reverse("screening:contact"))
    page.get_by_label("Your name").fill("Dana Example")
    page.get_by_label("E-mail address").fill("dana@example.test")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Everything you wrote is still here")).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_value("Dana Example")
    expect(page.get_by_label("E-mail address")).to_have_value("dana@example.test")


def back_office_pages(boston, nurse) -> list[str]:
    kinds = {
        "scheduling_appointmenttype": AppointmentType.objects.filter(location=boston).first(),
        "scheduling_seriesprotocol": SeriesProtocol.objects.filter(location=boston).first(),
        "scheduling_workinghours": WorkingHours.objects.create(
            staff=nurse, location=boston, weekday=0, starts=dt.time(9), ends=dt.time(15)
        ),
        "clinics_location": boston,
    }
    urls = [reverse("admin:index"), reverse("admin:audit_auditevent_changelist")]
    for kind, one in kinds.items():
        urls.append(reverse(f"admin:{kind}_changelist"))
        if one is not None:
            urls.append(reverse(f"admin:{kind}_change", args=[one.pk]))
    return urls


def test_the_back_office_looks_like_dendrite_and_passes_axe(
    page: Page, live_server, clinic_admin, nurse, boston, check_axe
):
    from dendrite.conftest import sign_in

    sign_in(page, live_server, clinic_admin)
    page.goto(live_server.url + reverse("patients:patient_list"))  # refused: an audit entry
    for url in back_office_pages(boston, nurse):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + url)
            text = Text()
            text.feed(page.content())
            assert "Dendrite back office" in text.text and "Django" not in text.text
            assert "Staff workspace" in text.text
            assert_no_axe_violations(page, check_axe)
    page.goto(live_server.url + reverse("admin:audit_auditevent_changelist"))
    expect(page.get_by_text("Refused: no access").first).to_be_attached()
    assert "access.denied" not in page.locator("#result_list").inner_text()


@pytest.mark.parametrize("name", ["screening:start", "screening:contact", "website:contact"])
def test_the_changed_public_pages_pass_axe_at_every_width(
    page: Page, live_server, boston, check_axe, name
):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + reverse(name))
        assert_no_axe_violations(page, check_axe)
        page.locator("summary", has_text="Menu").click() if width < 900 else None
        assert_no_axe_violations(page, check_axe)
