"""In a real Chromium, with axe-core at 390, 768 and 1280 px: the duplicate warning when a
lead is converted (linked to the existing chart), and a clinic admin's merge and undo."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from dendrite.conftest import current_code, make_patient, sign_in
from dendrite.leads.actions import create_lead
from dendrite.leads.models import Lead, Source
from dendrite.patients.models import Patient, PatientMerge

from .test_browser_chart import assert_no_axe_violations

pytestmark = pytest.mark.browser

WIDTHS = (390, 768, 1280)
BORN = dt.date(1988, 7, 14)


def axe_at_every_width(page: Page, check_axe) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        assert_no_axe_violations(page, check_axe)


def test_converting_a_lead_warns_of_the_duplicate_and_links_it(
    page: Page, live_server, front_desk, boston, check_axe
):
    casey = make_patient(boston, "Casey", "Morgan", date_of_birth=BORN,
                         email="casey@example.test", phone="+16175550199")  # fmt: skip
    lead = create_lead(source=Source.INQUIRY, location=boston, name="Casey Morgan",
                       email="casey@example.test", phone="+16175550199",
                       consent_to_contact=True, consent_to_texts=True)  # fmt: skip
    sign_in(page, live_server, front_desk)
    page.goto(live_server.url + reverse("leads:detail", args=[lead.pk]))
    page.get_by_label("Date of birth").fill(BORN.isoformat())
    page.get_by_label("Sex").select_option("female")
    page.get_by_role("button", name="Create the chart").click()
    expect(page.get_by_role("heading", name="This person may already have a chart")).to_be_visible()
    expect(page.get_by_role("cell", name="Same name, same date of birth").first).to_be_visible()
    axe_at_every_width(page, check_axe)
    page.get_by_role("button", name=f"Link to this chart {casey.mrn}").click()
    expect(page.get_by_text(f"This lead is now linked to the chart {casey.mrn}.")).to_be_visible()
    assert Lead.objects.get().patient == casey
    assert Patient.objects.count() == 1
    expect(page.get_by_text("on the web inquiry").first).to_be_visible()


def test_a_clinic_admin_merges_two_charts_and_undoes_it(
    page: Page, live_server, clinic_admin, boston, check_axe
):
    survivor = make_patient(boston, "Casey", "Morgan", date_of_birth=BORN)
    merged = make_patient(boston, "Casey", "Morgan", date_of_birth=BORN, city="Cambridge")
    sign_in(page, live_server, clinic_admin)
    page.goto(live_server.url + reverse("patients:access_history", args=[survivor.pk]))
    page.get_by_role("link", name="Merge with another chart").click()
    axe_at_every_width(page, check_axe)
    page.get_by_role("link", name=f"Compare {merged.mrn} with this chart").click()
    expect(page.get_by_role("cell", name="Cambridge")).to_be_visible()
    axe_at_every_width(page, check_axe)
    page.get_by_label("Cambridge — from " + merged.mrn).check()
    page.get_by_label("Your own six-digit code").fill(current_code(clinic_admin))
    page.get_by_role("button", name=f"Merge {merged.mrn} into {survivor.mrn}").click()
    expect(
        page.get_by_text(f"The chart {merged.mrn} is merged into {survivor.mrn}.")
    ).to_be_visible()
    axe_at_every_width(page, check_axe)
    assert Patient.objects.get(pk=survivor.pk).city == "Cambridge"
    page.get_by_role("link", name="Undo this merge").click()
    axe_at_every_width(page, check_axe)
    page.get_by_role("button", name="Undo the merge").click()  # the code is still fresh
    expect(page.get_by_text(f"{merged.mrn} is a chart of its own again")).to_be_visible()
    assert PatientMerge.objects.get().undone_by == clinic_admin
    assert Patient.objects.get(pk=survivor.pk).city == ""
