"""On a 390 px phone: the invitation, a code, a passkey made with Chromium's virtual
authenticator, signing out and back in with it, confirming a visit, a due PHQ-9 and the
trend; axe-core (WCAG 2.1 AA) on every portal page, in English and in Spanish."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from playwright.sync_api import Page, expect

from dendrite.conftest import signed_in
from dendrite.outcomes.tests.conftest import open_request
from dendrite.outcomes.tests.outcome_data import add_infusion_visit, add_score
from dendrite.portal import actions
from dendrite.portal.models import Passkey, PortalSession
from dendrite.scheduling.models import PatientMessage, Status

from .conftest import last_code, soon, visit
from .test_record import consent_for, disclose, registry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 768, 1280)


def axe_everywhere(page: Page, check_axe, found: dict) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        if violations := check_axe(page):
            found[(page.url, width)] = violations
    page.set_viewport_size({"width": 390, "height": 800})


def virtual_authenticator(page: Page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }})  # fmt: skip


def test_a_patient_lives_in_the_portal_on_a_phone(
    page: Page, live_server, alice_in, nurse, check_axe, settings
):
    settings.SITE_URL = live_server.url
    start = timezone.now() - dt.timedelta(days=30)
    add_score(alice_in, start, 19)
    add_infusion_visit(alice_in, start + dt.timedelta(days=1), nurse)
    add_score(alice_in, start + dt.timedelta(days=20), 8)
    appointment = visit(alice_in, nurse, soon(5))
    open_request(alice_in, ["phq-9"])
    actions.invite(alice_in, by=nurse)
    body = PatientMessage.objects.filter(channel="email").latest("id").body
    link = next(word for word in body.split() if "/portal/welcome/" in word)
    found: dict = {}

    page.set_viewport_size({"width": 390, "height": 800})
    virtual_authenticator(page)
    page.goto(link)
    expect(page.get_by_role("heading", name="Welcome to your patient portal")).to_be_visible()
    assert "/portal/welcome/" in page.url and len(page.url) < len(link)
    axe_everywhere(page, check_axe, found)
    page.get_by_role("button", name="Send me a code").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    axe_everywhere(page, check_axe, found)
    page.get_by_label("The 6-digit code").fill(last_code(alice_in))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your patient portal", exact=True)).to_be_visible()
    expect(page.locator("a[href='tel:988']")).to_be_visible()
    axe_everywhere(page, check_axe, found)

    # A passkey on this phone.
    page.get_by_role("link", name="Add a passkey").first.click()
    expect(page.get_by_role("heading", name="Sign-in and security")).to_be_visible()
    axe_everywhere(page, check_axe, found)
    page.get_by_role("button", name="Add a passkey on this device").click()
    expect(page.get_by_role("button", name="Remove")).to_be_visible()
    assert Passkey.objects.filter(account__patient=alice_in).count() == 1

    # Out, and back in with the passkey.
    page.get_by_role("button", name="Sign out", exact=True).first.click()
    expect(page.get_by_role("heading", name="Sign in to your patient portal")).to_be_visible()
    axe_everywhere(page, check_axe, found)
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.get_by_role("heading", name="Your patient portal", exact=True)).to_be_visible()
    assert PortalSession.objects.live().get().how == "passkey"

    # Confirm the visit.
    page.get_by_role("link", name="Appointments").click()
    axe_everywhere(page, check_axe, found)
    page.locator(f"a[href='/portal/appointments/{appointment.pk}/']").click()
    axe_everywhere(page, check_axe, found)
    page.get_by_role("button", name="Confirm I will come").click()
    expect(page.get_by_text("your appointment is confirmed")).to_be_visible()
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    page.get_by_role("link", name="Cancel this appointment").click()
    axe_everywhere(page, check_axe, found)
    page.go_back()
    page.get_by_role("link", name="Ask for another time").click()
    axe_everywhere(page, check_axe, found)

    # The due PHQ-9, on the questionnaire pages.
    page.get_by_role("link", name="Questionnaires").click()
    axe_everywhere(page, check_axe, found)
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name="Mood")).to_be_visible()
    for number in range(1, 10):
        page.get_by_role("group", name=f"{number}.").get_by_label("Not at all").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    page.get_by_role("link", name="Back to your portal").click()
    expect(page.get_by_role("heading", name="Your questionnaires")).to_be_visible()

    # Who opened my record (the nurse, from the chart), and who it was shared with.
    signed_in(nurse).get(f"/staff/patients/{alice_in.pk}/")
    payer = registry(alice_in.location, "Blue Harbor Health Plan")
    disclose(alice_in, payer, consent=consent_for(alice_in, payer, nurse))
    disclose(alice_in, payer, exception="Medical emergency: x")
    page.goto(live_server.url + "/portal/")
    page.get_by_role("link", name="My record").click()
    expect(page.get_by_text("Looked at it").first).to_be_visible()
    expect(page.get_by_text("A medical emergency")).to_be_visible()
    axe_everywhere(page, check_axe, found)
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download a summary (PDF)").click()
    assert pdf.value.suggested_filename == "my-record.pdf"
    with page.expect_download() as fhir:
        page.get_by_role("link", name="FHIR JSON").click()
    Bundle.model_validate(json.loads(Path(fhir.value.path()).read_text()))

    # The trend.
    page.goto(live_server.url + "/portal/progress/")
    expect(page.get_by_text("since your first infusion").first).to_be_visible()
    axe_everywhere(page, check_axe, found)

    # My details, and a mistake in it.
    page.get_by_role("link", name="My details").first.click()
    expect(page.get_by_role("heading", name="My details")).to_be_visible()
    axe_everywhere(page, check_axe, found)
    page.get_by_label("Mobile number").fill("12")
    page.get_by_role("button", name="Save my details").click()
    expect(page.get_by_text("Please enter a mobile number with the area code")).to_be_visible()
    axe_everywhere(page, check_axe, found)

    # In Spanish.
    page.get_by_label("Language", exact=True).select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    axe_everywhere(page, check_axe, found)
    page.goto(live_server.url + "/portal/")
    expect(page.get_by_role("heading", name="Su portal del paciente")).to_be_visible()
    axe_everywhere(page, check_axe, found)
    page.goto(live_server.url + "/portal/security/")
    axe_everywhere(page, check_axe, found)
    page.goto(live_server.url + "/portal/details/")
    axe_everywhere(page, check_axe, found)
    page.get_by_role("link", name="Mi historial").click()
    expect(
        page.get_by_role("heading", name="Quién de la clínica abrió su historial")
    ).to_be_visible()
    axe_everywhere(page, check_axe, found)

    assert found == {}
