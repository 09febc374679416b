"""Infusion orders: a prescriber writes and signs (with their own code), a change is a new
version signed again. Nurses read them; front desk and clinic admins do not; another
location's patient is a 404."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.conftest import current_code, signed_in
from dendrite.infusions import actions
from dendrite.infusions.models import InfusionOrder

pytestmark = pytest.mark.django_db


def post(visit, prescriber, **extra):
    data = {
        "mg_per_kg": "0.5",
        "minutes": "40",
        "appointments": [visit.pk],
        "code": current_code(prescriber),
    } | extra
    return signed_in(prescriber).post(reverse("infusions:order_new", args=[visit.patient_id]), data)


def test_a_prescriber_signs_an_order_with_their_own_code_and_it_applies_to_the_visit(
    visit, prescriber
):
    response = post(visit, prescriber)
    assert response.status_code == 302
    order = InfusionOrder.objects.get()
    assert (order.mg_per_kg, order.minutes, order.status, order.signed_by) == (
        Decimal("0.50"),
        40,
        "signed",
        prescriber,
    )
    assert actions.order_for(visit) == order
    assert AuditEvent.objects.filter(action="infusions.order.sign", outcome="success").exists()


def test_the_form_offers_the_studied_dose_by_default(visit, prescriber):
    page = signed_in(prescriber).get(reverse("infusions:order_new", args=[visit.patient_id]))
    assert page.context["form"]["mg_per_kg"].value() == "0.5"
    assert page.context["form"]["minutes"].value() == 40


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"mg_per_kg": "1.5"}, "mg_per_kg", "0.5 to 1.0 mg/kg"),
        ({"mg_per_kg": "0.2"}, "mg_per_kg", "outside that range"),
        ({"minutes": "5"}, "minutes", "40 to 60 minutes"),
        ({"titrate_to_mg_per_kg": "0.4", "mg_per_kg": "0.6"}, "titrate_to_mg_per_kg", ""),
        ({"appointments": []}, "appointments", "visits or the series"),
        ({"code": ""}, "code", "six-digit code"),
        ({"code": "000000"}, "code", "did not work"),
    ],
)
def test_bad_orders_are_refused_per_field_and_nothing_is_signed(
    visit, prescriber, extra, field, words
):
    response = post(visit, prescriber, **extra)
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors[field])
    assert not InfusionOrder.objects.exists()


def test_a_change_is_a_new_version_and_the_old_one_is_no_longer_in_force(visit, prescriber):
    first = actions.sign_order(
        visit.patient, by=prescriber, mg_per_kg=Decimal("0.5"), minutes=40, appointments=[visit]
    )
    data = {
        "mg_per_kg": "0.6",
        "minutes": "40",
        "appointments": [visit.pk],
        "code": current_code(prescriber),
    }
    response = signed_in(prescriber).post(reverse("infusions:order_revise", args=[first.pk]), data)
    assert response.status_code == 302
    first.refresh_from_db()
    second = InfusionOrder.objects.exclude(pk=first.pk).get()
    assert (first.status, second.version, second.replaces) == ("replaced", 2, first)
    assert actions.order_for(visit) == second


def test_an_order_for_the_series_covers_each_of_its_visits(visit, prescriber, nurse):
    from dendrite.scheduling.models import Series

    series = Series.objects.create(
        patient=visit.patient,
        location=visit.location,
        protocol=visit.appointment_type.protocols.get(),
        name="Induction",
        infusions=6,
        min_gap_hours=48,
        span_days=21,
        booked_by=nurse,
    )
    visit.series, visit.series_number = series, 1
    visit.save()
    order = actions.sign_order(
        visit.patient, by=prescriber, mg_per_kg=Decimal("0.5"), minutes=40, series=series
    )
    assert actions.order_for(visit) == order


def test_nurses_read_the_orders_but_cannot_sign(visit, prescriber, nurse):
    actions.sign_order(
        visit.patient, by=prescriber, mg_per_kg=Decimal("0.5"), minutes=40, appointments=[visit]
    )
    assert (
        signed_in(nurse).get(reverse("infusions:orders", args=[visit.patient_id])).status_code
        == 200
    )
    assert (
        signed_in(nurse).get(reverse("infusions:order_new", args=[visit.patient_id])).status_code
        == 403
    )


def test_anonymous_is_sent_to_sign_in(visit):
    from django.test import Client

    response = Client().get(reverse("infusions:orders", args=[visit.patient_id]))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_front_desk_and_clinic_admin_may_not_see_orders(visit, front_desk, clinic_admin):
    url = reverse("infusions:orders", args=[visit.patient_id])
    assert signed_in(front_desk).get(url).status_code == 403
    assert signed_in(clinic_admin).get(url).status_code == 403


def test_another_locations_patient_is_a_404(visit, prescriber_hartford):
    url = reverse("infusions:order_new", args=[visit.patient_id])
    assert signed_in(prescriber_hartford).get(url).status_code == 404
    assert AuditEvent.objects.filter(outcome="denied", patient_id=str(visit.patient_id)).exists()
