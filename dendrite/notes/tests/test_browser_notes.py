"""The notes pages in a real Chromium, with axe-core (WCAG 2.1 AA) at 320, 768 and
1280 px: a prescriber writes a consultation note from the appointment, signs it with
their own code, a nurse adds an addendum, and the clinic's template is edited."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from dendrite.conftest import current_code
from dendrite.notes.models import Addendum, Note, NoteTemplate
from dendrite.patients.tests.test_browser_chart import assert_no_axe_violations, sign_in

from .conftest import NOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def axe_at_every_width(page: Page, check_axe) -> None:
    for width in (320, 768, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_axe_violations(page, check_axe)
        assert page.evaluate("document.documentElement.scrollWidth") <= max(width, 320)


def axe_on_the_notes_section(page: Page, check_axe) -> None:
    """The chart's own sections are the patients app's; here only the notes section is
    held to axe at every width (the whole chart is checked in patients' tests)."""
    for width in (320, 768, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        mine = [v for v in check_axe(page) if any("notes" in str(n) for n in v["nodes"])]
        assert mine == [], mine


def test_a_consultation_note_from_the_appointment_to_an_addendum(
    page: Page, live_server, consult, prescriber, nurse, check_axe, time_machine
):
    time_machine.move_to(NOW, tick=True)
    sign_in(page, live_server, prescriber)
    page.goto(live_server.url + reverse("scheduling:appointment", args=[consult.pk]))
    axe_at_every_width(page, check_axe)
    page.get_by_role("link", name="Write consultation note").click()
    expect(page.get_by_label("Risk assessment")).to_contain_text("Low suicide risk")
    axe_at_every_width(page, check_axe)
    # Signing with sections left empty: a message on each, nothing saved.
    page.get_by_label("Your own six-digit code, to sign").fill(current_code(prescriber))
    page.get_by_role("button", name="Sign the note").click()
    expect(page.get_by_text("Please write the “History” section to sign.")).to_be_visible()
    axe_at_every_width(page, check_axe)
    assert not Note.objects.exists()
    for label in ("History", "Mental status examination", "Indication", "Plan"):
        page.get_by_label(label, exact=True).fill(f"{label}: written at the visit.")
    page.get_by_role("button", name="Sign the note").click()  # the code covers a few minutes
    expect(page.get_by_text("The note is signed.")).to_be_visible()
    axe_at_every_width(page, check_axe)

    sign_in(page, live_server, nurse)
    page.goto(live_server.url + reverse("patients:chart", args=[consult.patient_id]))
    axe_on_the_notes_section(page, check_axe)
    page.get_by_role("link", name="Consultation note").click()
    page.get_by_role("button", name="Add the addendum").click()
    expect(page.get_by_text("Please say why you are adding to it.")).to_be_visible()
    page.get_by_label("Why you are adding to the note").fill("Correction")
    page.get_by_role("textbox", name="Addendum (required)").fill("The plan starts next Monday.")
    page.get_by_role("button", name="Add the addendum").click()
    expect(page.get_by_text("The plan starts next Monday.")).to_be_visible()
    expect(page.get_by_text("History: written at the visit.")).to_be_visible()
    axe_at_every_width(page, check_axe)
    assert Addendum.objects.get().author == nurse


def test_the_clinic_edits_a_template(page: Page, live_server, prescriber, check_axe):
    sign_in(page, live_server, prescriber)
    page.goto(live_server.url + reverse("notes:templates"))
    axe_at_every_width(page, check_axe)
    page.get_by_role("link", name="Follow-up note").click()
    axe_at_every_width(page, check_axe)
    page.get_by_label("Heading").last.fill("Outcome measures reviewed")
    page.get_by_role("button", name="Save a new version").click()
    expect(page.get_by_text("Version 2 of the template is saved.")).to_be_visible()
    template = NoteTemplate.objects.get(kind="follow_up", is_current=True)
    assert template.sections[-1]["heading"] == "Outcome measures reviewed"
