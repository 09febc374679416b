"""Issue #16's whole path on a 390 px phone, in English and in Spanish, in one go: staff
invite the patient from the chart; the patient follows the e-mailed link, signs in with
the e-mailed code, adds a passkey (Chromium's virtual authenticator), signs out and back
in with it, confirms a visit, fills the due PHQ-9, reads the trend in words, writes to
the clinic; staff (a second browser) answer from the inbox; the patient reads the answer
(the notice e-mail says nothing clinical) and downloads the PDF and the FHIR R4 JSON.
axe-core (WCAG 2.1 AA) runs on every page on the way, at 390, 768 and 1280 px."""

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone, translation
from fhir.resources.R4B.bundle import Bundle
from playwright.sync_api import Browser, BrowserContext, Page, expect

from dendrite.conftest import sign_in
from dendrite.outcomes.tests.conftest import open_request
from dendrite.outcomes.tests.outcome_data import add_infusion_visit, add_score
from dendrite.patients.chart import instrument_titles
from dendrite.patients.models import Patient
from dendrite.portal.models import Conversation, Passkey, PortalSession
from dendrite.scheduling.models import Status

from .conftest import soon, visit
from .pdf_words import pdf_words
from .test_record import consent_for, disclose, registry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 768, 1280)
PHONE = {"width": 390, "height": 800}


def axe_everywhere(page: Page, check_axe, found: dict) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        if violations := check_axe(page):
            found[(page.url, width)] = violations
    page.set_viewport_size(PHONE)


def virtual_authenticator(page: Page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }})  # fmt: skip


class Words:
    """The interface's words in the patient's language; in Spanish each must really be
    translated (a string the catalogue lacks comes back in English and fails here)."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, english: str, **values: object) -> str:
        with translation.override(self.language):
            said = translation.gettext(english)
        if self.language != "en":
            assert said != english, f"not translated: {english!r}"
        return said % values if values else said


def mail_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


@pytest.fixture
def contexts(browser: Browser, browser_context_args: dict) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_whole_portal_path_on_a_phone(
    language, browser, browser_context_args, contexts, live_server, alice_in: Patient,
    nurse, check_axe, run_worker, settings,
):  # fmt: skip
    settings.SITE_URL = live_server.url
    say = Words(language)
    alice_in.preferred_language = language
    alice_in.save()
    start = timezone.now() - dt.timedelta(days=30)
    add_score(alice_in, start, 19)
    add_infusion_visit(alice_in, start + dt.timedelta(days=1), nurse)
    appointment = visit(alice_in, nurse, soon(5))
    open_request(alice_in, ["phq-9"])
    found: dict = {}

    # Staff invite Alice from her chart (a browser of their own, in English).
    staff_context = browser.new_context(**browser_context_args)
    contexts.append(staff_context)
    staff = staff_context.new_page()
    sign_in(staff, live_server, nurse)
    staff.goto(f"{live_server.url}/staff/patients/{alice_in.pk}/")
    staff.get_by_role("button", name="Invite to the portal").click()
    expect(staff.get_by_text("The invitation to the patient portal is on its way.")).to_be_visible()
    run_worker()
    invitation = mail_to(alice_in.email)[-1]
    assert "Alice" not in invitation.subject and "Lovelace" not in invitation.subject
    link = next(word for word in invitation.body.split() if "/portal/welcome/" in word)

    # Alice's phone, its language the one she speaks.
    locale = {"en": "en-US", "es": "es-US"}[language]
    phone = browser.new_context(**browser_context_args, locale=locale, viewport=PHONE)
    contexts.append(phone)
    page = phone.new_page()
    virtual_authenticator(page)
    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", name=say("Welcome to your patient portal"))).to_be_visible()
    assert "/portal/welcome/" in page.url and len(page.url) < len(link)
    axe_everywhere(page, check_axe, found)

    # A code by e-mail.
    mail.outbox.clear()
    page.get_by_role("button", name=say("Send me a code")).click()
    expect(page.get_by_role("heading", name=say("Enter your code"))).to_be_visible()
    axe_everywhere(page, check_axe, found)
    run_worker()
    (code_mail,) = mail_to(alice_in.email)
    code = re.search(r"\b(\d{6})\b", code_mail.body)
    assert code is not None and code.group(1) not in code_mail.subject
    page.get_by_label(say("The 6-digit code")).fill(code.group(1))
    page.get_by_role("button", name=say("Sign in")).click()
    home = page.get_by_role("heading", name=say("Your patient portal"), exact=True)
    expect(home).to_be_visible()
    expect(page.locator("a[href='tel:988']")).to_be_visible()
    assert PortalSession.objects.live().get().how == PortalSession.How.CODE
    axe_everywhere(page, check_axe, found)

    # A passkey on this phone.
    page.get_by_role("link", name=say("Add a passkey")).first.click()
    expect(page.get_by_role("heading", name=say("Sign-in and security"))).to_be_visible()
    axe_everywhere(page, check_axe, found)
    page.get_by_role("button", name=say("Add a passkey on this device")).click()
    expect(page.get_by_role("button", name=say("Remove"))).to_be_visible()
    assert Passkey.objects.filter(account__patient=alice_in).count() == 1
    axe_everywhere(page, check_axe, found)

    # Out, and back in with the passkey.
    page.get_by_role("button", name=say("Sign out"), exact=True).first.click()
    expect(page.get_by_role("heading", name=say("Sign in to your patient portal"))).to_be_visible()
    assert not PortalSession.objects.live().exists()
    axe_everywhere(page, check_axe, found)
    page.get_by_role("button", name=say("Sign in with a passkey")).click()
    expect(home).to_be_visible()
    assert PortalSession.objects.live().get().how == PortalSession.How.PASSKEY

    # Confirm the visit; the pages to cancel it or ask for another time.
    page.get_by_role("link", name=say("Appointments")).first.click()
    axe_everywhere(page, check_axe, found)
    page.locator(f"a[href='/portal/appointments/{appointment.pk}/']").click()
    axe_everywhere(page, check_axe, found)
    page.get_by_role("button", name=say("Confirm I will come")).click()
    expect(page.get_by_text(say("Thank you: your appointment is confirmed."))).to_be_visible()
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    axe_everywhere(page, check_axe, found)
    page.get_by_role("link", name=say("Cancel this appointment")).click()
    axe_everywhere(page, check_axe, found)
    page.go_back()
    page.get_by_role("link", name=say("Ask for another time")).click()
    axe_everywhere(page, check_axe, found)

    # The due PHQ-9 (its questions are the instrument's own words).
    page.get_by_role("link", name=say("Questionnaires")).first.click()
    expect(page.get_by_role("heading", name=say("Your questionnaires"))).to_be_visible()
    axe_everywhere(page, check_axe, found)
    page.get_by_role("button", name=say("Start")).click()
    expect(page.get_by_role("heading", name=say("Mood"))).to_be_visible()
    axe_everywhere(page, check_axe, found)
    # The answers are the instrument's own words: Pfizer's Spanish PHQ-9 in Spanish.
    not_at_all = "Ningún día" if language == "es" else "Not at all"
    for number in range(1, 10):
        page.get_by_role("group", name=f"{number}.").get_by_label(not_at_all).check()
    page.get_by_role("button", name=say("Send my answers")).click()
    expect(page.get_by_role("heading", name=say("Thank you"))).to_be_visible()
    axe_everywhere(page, check_axe, found)
    page.get_by_role("link", name=say("Back to your portal")).click()
    expect(page.get_by_role("heading", name=say("Your questionnaires"))).to_be_visible()
    expect(page.get_by_text(say("Nothing to fill in right now. Thank you!"))).to_be_visible()

    # The trend, in words: 19 before the first infusion, 0 today.
    page.get_by_role("link", name=say("Progress and plans")).first.click()
    trend = "Your %(title)s score went from %(before)d to %(now)d since your first infusion."
    expect(
        page.get_by_text(say(trend, title=instrument_titles(language)["phq-9"], before=19, now=0))
    ).to_be_visible()
    axe_everywhere(page, check_axe, found)

    # A message to the clinic (an empty one first: a kind error).
    page.get_by_role("link", name=say("Messages")).first.click()
    expect(page.get_by_text(say("Messages are not for emergencies."))).to_be_visible()
    page.get_by_role("button", name=say("Send message")).click()
    expect(page.get_by_text(say("Please write your message.")).first).to_be_visible()
    axe_everywhere(page, check_axe, found)
    question = "Is it fine to drive home after?"
    page.get_by_label(say("Your message")).fill(question)
    page.get_by_role("button", name=say("Send message")).click()
    expect(page.get_by_text(question)).to_be_visible()
    axe_everywhere(page, check_axe, found)

    # Staff answer from the inbox.
    staff.goto(live_server.url + "/staff/")
    staff.get_by_role("link", name="1 new patient message waiting for an answer").click()
    axe_everywhere(staff, check_axe, found)
    staff.get_by_role("link", name="Alice Lovelace").click()
    expect(staff.get_by_text(question)).to_be_visible()
    answer = "No: someone must drive you home."
    staff.get_by_label("Your reply").fill(answer)
    mail.outbox.clear()
    staff.get_by_role("button", name="Send reply").click()
    expect(staff.get_by_text(answer)).to_be_visible()
    axe_everywhere(staff, check_axe, found)
    run_worker()
    (notice,) = mail_to(alice_in.email)
    with translation.override(language):
        clinic_name = alice_in.location.name
    for secret in ("drive", "Alice", "Lovelace", alice_in.mrn):
        assert secret not in notice.subject and secret not in notice.body, secret
    assert clinic_name in notice.body and "/portal/" in notice.body

    # Alice reads the answer.
    page.goto(live_server.url + "/portal/")
    expect(page.get_by_text(say("You have a new message from the clinic."))).to_be_visible()
    page.get_by_role("link", name=say("Messages")).first.click()
    expect(page.get_by_text(answer)).to_be_visible()
    assert not Conversation.objects.get().unread_by_patient

    # Her record: who opened it (the nurse, from the chart), who her substance-use records
    # were shared with (under her consent, and once in an emergency), and her two copies.
    payer = registry(alice_in.location, "Blue Harbor Health Plan")
    disclose(alice_in, payer, consent=consent_for(alice_in, payer, nurse))
    disclose(alice_in, payer, exception="Medical emergency: x")
    page.get_by_role("link", name=say("My record")).first.click()
    expect(page.get_by_text(say("Looked at it")).first).to_be_visible()
    expect(page.get_by_text(say("A medical emergency"))).to_be_visible()
    axe_everywhere(page, check_axe, found)
    with page.expect_download() as pdf:
        page.get_by_role("link", name=say("Download a summary (PDF)")).click()
    assert pdf.value.suggested_filename == "my-record.pdf"
    words = pdf_words(Path(pdf.value.path()).read_bytes())
    assert "Alice Lovelace" in words and alice_in.location.name in words
    fhir_link = "Download your record for another app or doctor (FHIR JSON)"
    with page.expect_download() as fhir:
        page.get_by_role("link", name=say(fhir_link)).click()
    bundle = Bundle.model_validate(json.loads(Path(fhir.value.path()).read_text()))
    patients = [e.resource for e in bundle.entry if e.resource.__resource_type__ == "Patient"]
    assert [name.family for name in patients[0].name] == ["Lovelace"]

    # My details, and a mistake in it.
    page.get_by_role("link", name=say("My details")).first.click()
    expect(page.get_by_role("heading", name=say("My details"))).to_be_visible()
    axe_everywhere(page, check_axe, found)
    page.get_by_label(say("Mobile number")).fill("12")
    page.get_by_role("button", name=say("Save my details")).click()
    mobile = "Please enter a mobile number with the area code, such as (617) 555-0142."
    expect(page.get_by_text(say(mobile))).to_be_visible()
    axe_everywhere(page, check_axe, found)

    if language == "en":  # the language switch, on any page
        page.get_by_label("Language", exact=True).select_option("es")
        page.get_by_role("button", name="Change language").click()
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.get_by_role("heading", name=Words("es")("My details"))).to_be_visible()
        axe_everywhere(page, check_axe, found)

    assert found == {}
