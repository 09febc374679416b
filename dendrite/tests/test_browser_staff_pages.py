"""axe-core (WCAG 2.1 AA) on the staff pages the flow tests do not already cross."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from dendrite.conftest import sign_in
from dendrite.leads.actions import create_lead, update_screening_lead
from dendrite.leads.models import Outcome, Source

pytestmark = pytest.mark.browser


def sweep(page: Page, live_server, check_axe, paths: list[str]) -> None:
    found = {}
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        if violations := check_axe(page):
            found[path] = violations
    assert found == {}


def a_safety_alert(location):
    lead = create_lead(
        source=Source.SCREENING, location=location, name="Sam Sample", phone="+16175550123",
        consent_to_contact=True, triage_outcome=Outcome.INCOMPLETE,
    )  # fmt: skip
    answers = {"safety": {"phq-9": {"9": 2}, "c-ssrs-screener": {"1": True, "2": False}}}
    update_screening_lead(lead, flags=["suicide-risk"], answers=answers)
    return lead.safety_alerts.get()


def test_clinical_pages_have_no_axe_violations(page: Page, live_server, nurse, alice, check_axe):
    alert = a_safety_alert(alice.location)
    sign_in(page, live_server, nurse, by_form=True)
    chart = {"pk": alice.pk}
    sweep(
        page,
        live_server,
        check_axe,
        [
            reverse("accounts:location_detail", args=[alice.location_id]),
            reverse("accounts:recovery_codes"),
            reverse("leads:inbox") + "?status=new&overdue=on",
            reverse("alerts:list"),
            reverse("alerts:detail", args=[alert.pk]),
            reverse("alerts:rota"),
            reverse("leads:detail", args=[alert.lead_id]),
            reverse("patients:patient_new"),
            reverse("patients:contact_add", kwargs=chart),
            reverse("patients:diagnosis_add", kwargs=chart),
            reverse("patients:medication_add", kwargs=chart),
            reverse("patients:allergy_add", kwargs=chart),
            reverse("patients:history_edit", kwargs=chart),
            reverse("patients:consent_add", kwargs=chart),
            reverse("patients:questionnaires", kwargs=chart),
            reverse("patients:document_add", kwargs=chart),
            reverse("patients:provider_edit", kwargs=chart | {"kind": "primary_care"}),
        ],
    )


def test_admin_pages_have_no_axe_violations(
    page: Page, live_server, clinic_admin, nurse, alice, check_axe
):
    sign_in(page, live_server, clinic_admin, by_form=True)
    sweep(
        page,
        live_server,
        check_axe,
        [
            reverse("accounts:user_list"),
            reverse("accounts:user_create"),
            reverse("accounts:user_edit", args=[nurse.pk]),
            reverse("patients:access_lookup"),
            reverse("patients:access_history", kwargs={"pk": alice.pk}),
            reverse("alerts:rota"),
        ],
    )
