"""In a browser: a patient opens the pre-visit link from their message and answers the
PHQ-9 and C-SSRS screener on a 390 px phone; the front desk's check-in tablet completes
and locks. axe-core (WCAG 2.1 AA) at 390, 768 and 1280 px."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from dendrite.alerts.models import SafetyAlert
from dendrite.conftest import PASSWORD, sign_in
from dendrite.outcomes.models import QuestionnaireRequest
from dendrite.patients.models import QuestionnaireResponse
from dendrite.scheduling.models import PatientMessage

from .conftest import infusion_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 768, 1280)


def axe_everywhere(page: Page, check_axe) -> dict:
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        if violations := check_axe(page):
            found[width] = violations
    page.set_viewport_size({"width": 390, "height": 800})
    return found


def answer_phq9(page: Page, item9: str = "Not at all") -> None:
    for number in range(1, 9):
        page.get_by_role("group", name=f"{number}.").get_by_label("Several days").check()
    page.get_by_role("group", name="9.").get_by_label(item9).check()


def test_a_patient_answers_the_pre_visit_link_on_a_phone(
    page: Page, live_server, depressed_alice, nurse, outbox, check_axe, settings
):
    settings.SITE_URL = live_server.url
    infusion_at(depressed_alice, timezone.now() + dt.timedelta(hours=20), nurse)
    call_command("send_questionnaire_links")
    body = PatientMessage.objects.get(channel="email").body
    link = next(word for word in body.split() if "/questionnaire/open/" in word)

    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(link)
    expect(page.get_by_role("heading", name="Mood")).to_be_visible()
    assert "/questionnaire/open/" not in page.url  # the token left the address bar
    found = {"phq-9": axe_everywhere(page, check_axe)}
    answer_phq9(page, item9="Several days")
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_role("heading", name="Your safety")).to_be_visible()
    expect(page.get_by_text("You do not have to face this alone")).to_be_visible()
    assert SafetyAlert.objects.filter(patient=depressed_alice).count() == 1
    found["c-ssrs"] = axe_everywhere(page, check_axe)
    for number in ("1.", "2.", "6."):
        page.get_by_role("group", name=number).get_by_label("No").check()
    page.reload()  # the page closes and opens again: nothing is lost of what was sent
    for number in ("1.", "2.", "6."):
        page.get_by_role("group", name=number).get_by_label("No").check()
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    found["done"] = axe_everywhere(page, check_axe)
    assert found == {"phq-9": {}, "c-ssrs": {}, "done": {}}
    assert sorted(QuestionnaireResponse.objects.values_list("instrument", flat=True)) == [
        "c-ssrs-screener", "phq-9"
    ]  # fmt: skip
    assert QuestionnaireRequest.objects.get().status == "completed"

    page.goto(link)  # the same link again
    expect(page.get_by_role("heading", name="This link does not work any more")).to_be_visible()
    assert axe_everywhere(page, check_axe) == {}


def test_the_check_in_tablet_completes_and_locks(
    page: Page, live_server, depressed_alice, front_desk, nurse, check_axe
):
    visit = infusion_at(depressed_alice, timezone.now() + dt.timedelta(minutes=10), nurse)
    sign_in(page, live_server, front_desk)
    page.goto(f"{live_server.url}/staff/schedule/appointments/{visit.pk}/")
    page.get_by_role("button", name="Hand the patient the check-in tablet").click()

    expect(page.get_by_role("heading", name="Mood")).to_be_visible()
    expect(page.get_by_text(front_desk.username)).to_have_count(0)
    answer_phq9(page)
    page.get_by_role("button", name="Next").click()
    for number in ("1.", "2.", "6."):
        page.get_by_role("group", name=number).get_by_label("No").check()
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_role("button", name="I am done: hand the tablet back").click()

    expect(page.get_by_role("heading", name="Please hand the tablet back")).to_be_visible()
    assert axe_everywhere(page, check_axe) == {}
    page.goto(f"{live_server.url}/staff/schedule/")  # no way round the lock
    expect(page.get_by_role("heading", name="Please hand the tablet back")).to_be_visible()
    page.get_by_label("Staff password").fill(PASSWORD)
    page.get_by_role("button", name="Return to the staff view").click()
    expect(page).to_have_url(f"{live_server.url}/staff/schedule/appointments/{visit.pk}/")
    assert set(QuestionnaireResponse.objects.values_list("source", flat=True)) == {"check_in"}
