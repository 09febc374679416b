"""The self-screening in a real Chromium (Playwright): axe-core on every page, a 320 px
screen, the keyboard alone, and the crisis box right after PHQ-9 item 9."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from dendrite.clinics.models import Location

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
RESULT = "/screening/result/"

# A screening that visits every page: AUDIT-C positive for a woman (the rest of the AUDIT),
# C-SSRS question 2 yes (questions 3 to 5) and question 6 yes (the past-3-months follow-up).
EVERY_PAGE: dict[str, dict[str, str | list[str]]] = {
    "contact": {
        "age_band": "25-34",
        "name": "Robin Example",
        "email": "robin@example.test",
        "location": "boston",
        "sex": "female",
        "consent": "on",
    },
    "mood": {f"q{n}": "1" for n in range(1, 10)} | {"q9": "0", "qdifficulty": "LA6573-5"},
    "anxiety": {f"q{n}": "2" for n in range(1, 8)},
    "alcohol": {"q1": "1", "q2": "1", "q3": "1"},
    "alcohol-more": {f"q{n}": "0" for n in range(4, 11)},
    "drugs": {f"q{n}": "no" for n in range(1, 11)} | {"q3": "yes"},
    "safety": {"q1": "no", "q2": "yes"},
    "safety-more": {"q3": "no", "q4": "no", "q5": "no", "q6": "yes"},
    "safety-when": {"q6a": "no"},
    "health": {
        name: "no"
        for name in (
            "blood_pressure",
            "heart_vascular",
            "raised_pressure",
            "seizures",
            "psychosis_mania",
            "pregnancy",
            "ketamine_misuse",
            "ketamine_allergy",
            "ketamine_reaction",
            "liver",
            "hyperthyroidism",
            "alcohol_withdrawal",
            "alcohol_24_hours",
        )
    },
    "treatment": {"antidepressants": "2", "therapy": "yes", "medications": ["lamotrigine"]},
}


def slug_of(page: Page) -> str:
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def fill(page: Page, answers: dict[str, str | list[str]], location: Location) -> None:
    for name, value in answers.items():
        if name == "location":
            value = str(location.pk)
        for one in value if isinstance(value, list) else [value]:
            field = page.locator(f'[name="{name}"]')
            if one == "on":  # a single checkbox
                field.check()
            elif field.first.get_attribute("type") in ("radio", "checkbox"):
                page.locator(f'[name="{name}"][value="{one}"]').check()
            else:
                field.fill(one)


def walk(page: Page, live_server, location: Location, visit: Callable[[Page], None]) -> list[str]:
    """Start from the start page and answer every page, calling ``visit`` on each page and
    on the result; return the slugs seen."""
    page.goto(live_server.url + "/screening/")
    visit(page)
    page.get_by_role("link", name="Start the screening").click()
    seen = []
    while "/screening/step/" in page.url:
        seen.append(slug_of(page))
        visit(page)
        fill(page, EVERY_PAGE[seen[-1]], location)
        page.get_by_role("button", name="Next").click()
    expect(page).to_have_url(live_server.url + RESULT)
    visit(page)
    return seen


def assert_no_axe_violations(page: Page, check_axe) -> None:
    violations = check_axe(page)
    assert violations == [], f"axe-core found on {page.url}:\n" + "\n".join(
        f"- {v['id']}: {v['help']} at {v['nodes']}" for v in violations
    )


def test_every_page_and_the_result_have_no_axe_violations(
    page: Page, live_server, boston, check_axe
):
    seen = walk(page, live_server, boston, lambda p: assert_no_axe_violations(p, check_axe))
    assert seen == list(EVERY_PAGE)


def test_a_page_with_errors_the_saved_link_and_the_kind_pages_have_no_axe_violations(
    page: Page, live_server, boston, check_axe
):
    page.goto(live_server.url + "/screening/step/contact/")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct")
    assert_no_axe_violations(page, check_axe)
    fill(page, EVERY_PAGE["contact"], boston)
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()  # mood, unanswered
    expect(page.get_by_text("Please choose an answer to this question.").first).to_be_visible()
    assert_no_axe_violations(page, check_axe)
    page.get_by_role("button", name="Save and get a link").click()
    expect(page.get_by_role("heading", name="Your link to come back")).to_be_visible()
    assert_no_axe_violations(page, check_axe)
    page.goto(live_server.url + "/screening/resume/not-a-real-link/")
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    assert_no_axe_violations(page, check_axe)
    page.goto(live_server.url + "/screening/adults-only/")
    assert_no_axe_violations(page, check_axe)


def test_a_refused_start_shows_the_crisis_lines_without_axe_violations_at_320_px(
    page: Page, live_server, boston, check_axe, settings
):
    # The day's starts from this address are used up (a refusal of the timer instead
    # keeps what was typed and asks to press Next again: test_browser_looks.py).
    settings.SCREENING_DAILY_LIMIT = 0
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server.url + "/screening/step/contact/")
    fill(page, EVERY_PAGE["contact"], boston)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The screening could not start")
    crisis = page.locator("#main .crisis-box")
    expect(crisis.get_by_role("link", name="911")).to_have_attribute("href", "tel:911")
    expect(crisis.get_by_role("link", name="988").first).to_have_attribute("href", "tel:988")
    assert_no_axe_violations(page, check_axe)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_every_page_fits_a_320_pixel_screen_without_sideways_scrolling(
    page: Page, live_server, boston
):
    page.set_viewport_size(NARROW)
    widths = {}

    def measure(p: Page) -> None:
        widths[p.url] = p.evaluate("document.documentElement.scrollWidth")

    walk(page, live_server, boston, measure)
    assert len(widths) == len(EVERY_PAGE) + 2  # the start page, every step and the result
    assert {url: w for url, w in widths.items() if w > NARROW["width"]} == {}


def test_the_crisis_box_appears_on_the_page_right_after_item_9(page: Page, live_server, boston):
    page.goto(live_server.url + "/screening/step/contact/")
    fill(page, EVERY_PAGE["contact"], boston)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Mood")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    fill(page, EVERY_PAGE["mood"] | {"q9": "1"}, boston)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Anxiety")).to_be_visible()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("988")
    expect(alert).to_contain_text("immediate danger")
    expect(alert.get_by_role("link", name="911")).to_have_attribute("href", "tel:911")


# The keyboard alone: Tab to each question, arrows or Space to answer, Enter on Next.

KEYBOARD_PLAN: dict[str, dict[str, int | str]] = {
    # radio groups: the option's position (0 = first); text fields: what to type
    "contact": {
        "age_band": 2,
        "name": "Kim Keys",
        "email": "kim@example.test",
        "location": 0,
        "sex": 1,
        "consent": "check",
    },
    "mood": {f"q{n}": 0 for n in range(1, 10)},
    "anxiety": {f"q{n}": 0 for n in range(1, 8)},
    "alcohol": {"q1": 0, "q2": 0, "q3": 0},
    "drugs": {f"q{n}": 1 for n in range(1, 11)} | {"q3": 0},
    "safety": {"q1": 1, "q2": 1},
    "safety-more": {"q6": 1},
    "health": {name: 1 for name in EVERY_PAGE["health"]},
    "treatment": {"antidepressants": 2, "therapy": 0},
}

FOCUSED = """() => {
    const e = document.activeElement;
    const type = e.type || e.tagName.toLowerCase();
    return {type: type, name: e.name || "", text: e.textContent.trim()};
}"""


def answer_by_keyboard(page: Page, plan: dict[str, int | str]) -> None:
    pending = dict(plan)
    for _ in range(300):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        wanted = pending.get(focused["name"])
        if focused["type"] == "radio" and wanted is not None:
            for _ in range(int(wanted)):
                page.keyboard.press("ArrowDown")
            if wanted == 0:
                page.keyboard.press("Space")
            pending.pop(focused["name"])
        elif focused["type"] == "checkbox" and wanted == "check":
            page.keyboard.press("Space")
            pending.pop(focused["name"])
        elif focused["type"] in ("text", "email", "tel") and wanted is not None:
            page.keyboard.type(str(wanted))
            pending.pop(focused["name"])
        elif focused["type"] == "submit" and focused["text"] == "Next" and not pending:
            page.keyboard.press("Enter")
            return
    raise AssertionError(f"could not reach by keyboard: {pending}")


def test_the_whole_screening_works_with_the_keyboard_alone(page: Page, live_server, boston):
    page.goto(live_server.url + "/screening/step/contact/")
    for slug, plan in KEYBOARD_PLAN.items():
        expect(page).to_have_url(f"{live_server.url}/screening/step/{slug}/")
        answer_by_keyboard(page, plan)
        page.wait_for_load_state()
    expect(page).to_have_url(live_server.url + RESULT)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A clinician needs to look at your answers"
    )
