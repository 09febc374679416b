"""An infusion day in a real Chromium, as a prescriber and two nurses would click it:
order → check → double check → start → vital signs → a high blood pressure alerted and
acknowledged → stop → recovery → discharge → the infusion note signed by the nurse and
co-signed by the prescriber, with axe-core (WCAG 2.1 AA) at 320, 768 and
1280 px on every new page, and a typed-in form surviving a reload."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from dendrite.conftest import current_code
from dendrite.controlled.models import Movement, Vial
from dendrite.infusions.models import Infusion
from dendrite.notes.models import Note
from dendrite.patients.tests.test_browser_chart import assert_no_axe_violations, sign_in

from .conftest import NOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (320, 768, 1280)
D = Decimal


def choose_vial(page: Page, vial) -> None:
    """The vial in hand, from the log's list (number, mg/mL, lot, expiry, what is left)."""
    page.get_by_label("Vial from the controlled-substance log").select_option(str(vial.pk))


def axe_at_every_width(page: Page, check_axe) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_axe_violations(page, check_axe)
        assert page.evaluate("document.documentElement.scrollWidth") <= max(width, 320)


def fill_vitals(page: Page, systolic: str, diastolic: str) -> None:
    page.get_by_label("Systolic blood pressure (mmHg)").fill(systolic)
    page.get_by_label("Diastolic blood pressure (mmHg)").fill(diastolic)
    page.get_by_label("Heart rate (beats a minute)").fill("78")
    page.get_by_label("Oxygen saturation (%)").fill("98")
    page.get_by_label("Breathing rate (breaths a minute)").fill("14")


def test_a_whole_infusion_day(
    page: Page, live_server, visit, nurse, nurse_two, prescriber, check_axe, time_machine, vial
):
    time_machine.move_to(NOW, tick=True)
    chairside = live_server.url + reverse("infusions:chairside", args=[visit.pk])

    # The prescriber writes and signs the order with their own code.
    sign_in(page, live_server, prescriber)
    page.goto(live_server.url + reverse("infusions:order_new", args=[visit.patient_id]))
    axe_at_every_width(page, check_axe)
    page.get_by_role("checkbox").first.check()
    page.get_by_label("Your own six-digit code, to sign").fill(current_code(prescriber))
    page.get_by_role("button", name="Sign the order").click()
    expect(page.get_by_text("Version 1: Signed, in force")).to_be_visible()
    axe_at_every_width(page, check_axe)

    # The nurse checks the patient at the chair; what she types survives a reload.
    sign_in(page, live_server, nurse)
    page.goto(chairside)
    axe_at_every_width(page, check_axe)
    page.get_by_label("Escort's name").fill("Sam Lovelace")
    page.reload()
    expect(page.get_by_label("Escort's name")).to_have_value("Sam Lovelace")
    page.get_by_label("Full name, said by the patient").check()
    page.get_by_label("Date of birth, said by the patient").check()
    page.get_by_label("Treatment consent is signed and in force").check()
    page.get_by_label("Hours since the patient last ate").fill("6")
    page.get_by_label("Escort's phone number").fill("(617) 555-0199")
    page.get_by_label("Weight measured today").fill("176")
    page.get_by_label("pounds (lb)").check()
    fill_vitals(page, "122", "78")
    page.get_by_label("Not pregnant (patient's statement or test)").check()
    page.get_by_label("Today's questionnaires are done").check()
    page.get_by_role("button", name="Record the check").click()
    expect(page.get_by_text("79.8 kg (175.9 lb), entered as 176 lb")).to_be_visible()

    choose_vial(page, vial)
    page.get_by_role("button", name="Calculate the dose").click()
    expect(page.get_by_text("40.00 mg")).to_be_visible()
    expect(page.get_by_text("4.00 mL", exact=True)).to_be_visible()
    axe_at_every_width(page, check_axe)

    # A second nurse checks independently: she sees no figures, and a mismatch is refused.
    sign_in(page, live_server, nurse_two)
    page.goto(chairside)
    expect(page.get_by_text("40.00 mg")).to_have_count(0)
    axe_at_every_width(page, check_axe)
    page.get_by_label("Weight measured today").fill("79.8")
    page.get_by_label("kilograms (kg)").check()
    page.get_by_label("Concentration on the vial").select_option("100")
    page.get_by_role("button", name="Check the dose").click()
    expect(page.get_by_text("differ in the vial's concentration")).to_be_visible()
    sign_in(page, live_server, nurse)
    page.goto(chairside)
    choose_vial(page, vial)
    page.get_by_role("button", name="Prepare again with another vial").click()
    sign_in(page, live_server, nurse_two)
    page.goto(chairside)
    page.get_by_label("Weight measured today").fill("79.8")
    page.get_by_label("kilograms (kg)").check()
    page.get_by_label("Concentration on the vial").select_option("10")
    page.get_by_role("button", name="Check the dose").click()
    expect(page.get_by_text("the dose is verified")).to_be_visible()

    # Start, by keyboard.
    start = page.get_by_role("button", name="Start the infusion")
    start.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Running", exact=True)).to_be_visible()
    axe_at_every_width(page, check_axe)

    fill_vitals(page, "130", "82")
    page.get_by_role("button", name="Record vital signs").click()
    fill_vitals(page, "186", "104")
    page.get_by_role("button", name="Record vital signs").click()
    expect(page.get_by_text("The prescribers on site have been told")).to_be_visible()
    expect(page.get_by_text("1 chairside alert")).to_be_visible()
    axe_at_every_width(page, check_axe)

    # The prescriber acknowledges it with the action taken.
    sign_in(page, live_server, prescriber)
    page.goto(live_server.url + reverse("accounts:home"))
    page.get_by_role("link", name="Boston, Chair 1").click()
    page.get_by_label("What you did").fill("Seen at the chair; rechecking in 10 minutes.")
    page.get_by_role("button", name="Acknowledge the alert").click()
    expect(page.get_by_text("Acknowledged by Priya Tester")).to_be_visible()

    sign_in(page, live_server, nurse)
    page.goto(chairside)
    page.get_by_label("Infusion completed").check()
    page.get_by_label("Volume infused, from the pump (mL)").fill("4.00")
    page.get_by_role("button", name="Stop the infusion").click()
    expect(page.get_by_text("Given: 40.00 mg")).to_be_visible()
    fill_vitals(page, "126", "80")
    page.get_by_role("button", name="Record vital signs").click()
    for label in (
        "Moves all four limbs (2)",
        "Breathes deeply and coughs freely (2)",
        "Within 20% (2)",
        "Fully awake (2)",
        "Above 92% on room air (2)",
    ):
        page.get_by_label(label).check()
    page.get_by_label("The escort is here to take the patient home").check()
    axe_at_every_width(page, check_axe)
    page.get_by_role("button", name="Discharge the patient").click()
    expect(page.get_by_text("Discharged at")).to_be_visible()
    assert Infusion.objects.get().stage == "ready"
    # The controlled-substance log: one administration, witnessed by the double checker,
    # and the vial's balance exact (10 mL − 4.00 mL drawn; 4.00 of 4.00 mL infused).
    (draw,) = Movement.objects.filter(kind="administered")
    assert (draw.drawn_ml, draw.given_ml, draw.wasted_ml) == (D("4.00"), D("4.00"), D(0))
    assert (draw.by, draw.witness) == (nurse, nurse_two)
    (left,) = Vial.objects.with_balance().filter(location=visit.location)
    assert D(str(left.balance_ml)).quantize(D("0.01")) == D("6.00")

    page.get_by_role("link", name="Instrucciones en español").click()
    expect(page.get_by_role("heading", name="Después de su infusión")).to_be_visible()
    axe_at_every_width(page, check_axe)

    # The infusion note: the nurse writes and signs it from the chairside page...
    page.goto(chairside)
    page.get_by_role("button", name="Write the infusion note").click()
    expect(page.get_by_role("heading", name="Infusion note")).to_be_visible()
    expect(page.get_by_text("40.00 mg").first).to_be_visible()
    expect(page.locator("svg polyline").first).to_be_attached()
    axe_at_every_width(page, check_axe)
    page.get_by_label("Nursing summary").fill("Tolerated well; one high blood pressure, settled.")
    page.get_by_role("button", name="Sign the note").click()
    expect(page.get_by_text("six-digit code from your own authenticator app")).to_be_visible()
    axe_at_every_width(page, check_axe)  # the refusal, tied to its field
    page.get_by_label("Your own six-digit code, to sign").fill(current_code(nurse))
    page.get_by_role("button", name="Sign the note").click()
    expect(page.get_by_text("Awaiting co-signature")).to_be_visible()
    note = Note.objects.get()
    assert (note.status, note.signed_by, note.is_complete) == ("signed", nurse, False)

    # ...and the prescriber co-signs it with a fresh code of their own.
    time_machine.move_to(NOW + dt.timedelta(minutes=5), tick=True)
    sign_in(page, live_server, prescriber)
    page.goto(live_server.url + reverse("patients:chart", args=[visit.patient_id]))
    page.get_by_role("link", name="Infusion note").click()
    axe_at_every_width(page, check_axe)
    page.get_by_label("Your own six-digit code, to co-sign").fill(current_code(prescriber))
    page.get_by_role("button", name="Co-sign the note").click()
    expect(page.get_by_text("Signed and co-signed")).to_be_visible()
    note.refresh_from_db()
    assert (note.status, note.cosigned_by, note.is_complete) == ("cosigned", prescriber, True)
    axe_at_every_width(page, check_axe)
