"""The ketamine log as a PDF for an inspector: the registration, each vial's movements
with its balance, the counts with their explanations and signatures, who prepared it;
a period without movements says so; more than two years is refused; audited."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.conftest import signed_in
from dendrite.controlled import actions
from dendrite.controlled.models import Count, Vial
from dendrite.tests.pdf_text import laid_out_text

from .conftest import administer

pytestmark = pytest.mark.django_db


def url(location):
    return reverse("controlled:export_pdf", args=[location.pk])


def registered(location):
    location.registrant_name = "Dr. Rhea Registrant"
    location.dea_number, location.state_registration_number = "BR1234563", "MCSR-0012345"
    location.save()
    return location


def test_the_pdf_holds_the_registration_movements_counts_and_signatures(
    clinic_admin, nurse, prescriber, boston, boston_vials, alice_infusion
):
    registered(boston)
    administer(boston_vials[0], alice_infusion, nurse, prescriber)
    vials = Vial.objects.in_stock().filter(location=boston)
    counted = {v.pk: (v.balance_ml, False) for v in vials}
    counted[boston_vials[1].pk] = (Decimal("9.50"), False)  # half a millilitre missing
    actions.record_count(
        location=boston, kind=Count.Kind.DAILY, timing=Count.Timing.CLOSE, counted=counted,
        explanation="Spilled while drawing; seen by the prescriber.", by=nurse,
    )  # fmt: skip
    today = boston.local_now().date().isoformat()
    response = signed_in(clinic_admin).get(url(boston), {"start": today, "end": today})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Alice" not in response["Content-Disposition"]
    text = laid_out_text(response)
    for words in (
        "Dr. Rhea Registrant", "BR1234563", "MCSR-0012345", "1 Test Street",
        "Vial 1: NDC 0409-2051-05", "Drawn 2.80 mL, given 2.50 mL, wasted 0.30 mL",
        "Alice Lovelace", "witness Priya Tester", "Balance at the end of the period",
        "Spilled while drawing", "Signed by Nora Tester", "by Adam Tester",
        "Daily count",
    ):  # fmt: skip
        assert words in text, words
    # Vial 1: 10 → 7.2 mL; vial 2: 10 → 9.5 mL (the count's correction).
    assert "-2.80 7.20" in text and "-0.50 9.50" in text
    assert "1000.00" in text  # received, in mg
    assert "835.00" in text  # the balance at the end: 360 + 475 mg
    assert AuditEvent.objects.filter(
        action="controlled.log.export", actor_id=clinic_admin.pk, detail__format="pdf"
    ).exists()


def test_a_period_without_movements_says_so(nurse, boston, boston_vials):
    day = (boston.local_now().date() + dt.timedelta(days=3)).isoformat()
    response = signed_in(nurse).get(url(boston), {"start": day, "end": day})
    text = laid_out_text(response)
    assert "No ketamine was received, drawn, disposed of, lost or counted" in text
    assert "Balance at the start" in text and "1000.00" in text  # the stock still there
    assert "Not recorded" in text  # no DEA number given yet


def test_more_than_two_years_is_refused_with_a_reason(nurse, boston):
    response = signed_in(nurse).get(url(boston), {"start": "2024-01-01", "end": "2026-01-31"})
    assert response.status_code == 400
    assert "at most two years" in response.context["export_form"].errors["end"][0]
    assert not AuditEvent.objects.filter(action="controlled.log.export").exists()


def test_the_other_locations_log_and_the_front_desk_get_nothing(
    nurse, front_desk, hartford, boston
):
    query = {"start": "2026-01-01", "end": "2026-01-31"}
    assert signed_in(nurse).get(url(hartford), query).status_code == 404
    assert signed_in(front_desk).get(url(boston), query).status_code == 403
