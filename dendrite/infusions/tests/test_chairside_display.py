"""What the chairside page and the day view show: whole numbers for whole measures (124,
not 124.0; the temperature keeps its decimal), "Discharged" once the patient has left,
and no audit entry for the list of vials (it holds no patient data)."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.conftest import signed_in
from dendrite.infusions import actions, vitals
from dendrite.infusions.models import Infusion

from .conftest import GOOD_VITALS, NOW, checked, running, stock

pytestmark = pytest.mark.django_db
D = Decimal


def chairside(client, visit):
    return client.get(reverse("infusions:chairside", args=[visit.pk]))


@pytest.mark.parametrize(
    ("key", "stored", "shown"),
    [
        ("systolic", D("124.0"), "124"),
        ("spo2", D("98.0"), "98"),
        ("heart_rate", D("72"), "72"),
        ("temperature", D("36.8"), "36.8"),
        ("temperature", D("37"), "37.0"),
    ],
)
def test_a_value_is_shown_with_the_decimals_of_its_measure(key, stored, shown):
    assert str(vitals.shown(key, stored)) == shown


def test_none_stays_none():
    assert vitals.shown("systolic", None) is None


def test_the_vitals_table_shows_whole_numbers_and_the_temperature_decimal(
    visit, order, nurse, nurse_two
):
    infusion = running(visit, nurse, nurse_two, order)
    values = GOOD_VITALS | {"systolic": D(124), "temperature": D("36.8")}
    actions.record_vitals(infusion, by=nurse, values=values)
    page = chairside(signed_in(nurse), visit)
    html = page.content.decode()
    assert "<td>124</td>" in html and "<td>36.8</td>" in html
    assert "124.0" not in html and "<td>98.0</td>" not in html
    (_, latest) = page.context["page"].rows
    assert [str(v) for v in latest.values[:2]] == ["124", "78"]


def test_the_day_view_says_discharged_once_the_patient_has_left(
    visit, order, nurse, nurse_two, front_desk, boston
):
    infusion = running(visit, nurse, nurse_two, order)
    day = reverse("scheduling:day", args=[boston.pk, NOW.astimezone(boston.tz).date().isoformat()])
    actions.stop(infusion, by=nurse, reason="completed", note="", infused_ml=D("4.00"))
    assert "Infusion: Recovering" in signed_in(front_desk).get(day).content.decode()
    infusion = Infusion.objects.get()
    actions.record_vitals(infusion, by=nurse, values=GOOD_VITALS)
    answers = dict.fromkeys(("activity", "respiration", "circulation", "consciousness", "spo2"), 2)
    actions.discharge(infusion, by=nurse, answers=answers, escort_present=True)
    html = signed_in(front_desk).get(day).content.decode()
    assert "Infusion: Discharged" in html and "Ready to leave" not in html


def test_redrawing_the_chairside_page_writes_no_vial_list_audit_entry(visit, order, nurse):
    checked(visit, nurse, order)
    stock(visit.location, nurse)
    client = signed_in(nurse)
    for _ in range(3):
        page = chairside(client, visit)
        assert "Vial 1: 10.00 mg/mL" in page.content.decode()  # the list is offered
    assert not AuditEvent.objects.filter(action="controlled.vial.list").exists()
    # The read of the record itself is still audited, once per page.
    assert AuditEvent.objects.filter(action__endswith="chairside").count() == 3


def test_the_vial_list_is_empty_for_staff_of_another_location(
    visit, order, nurse, prescriber_hartford
):
    from dendrite.infusions.access import vials_to_draw_from

    stock(visit.location, nurse)
    assert [v.number for v in vials_to_draw_from(nurse, visit.location)] == [1]
    assert vials_to_draw_from(prescriber_hartford, visit.location) == []


def test_the_vitals_table_writes_the_languages_decimal_point_and_escapes_names(
    visit, order, nurse, nurse_two
):
    infusion = running(visit, nurse, nurse_two, order)
    nurse.first_name = "<b>Nora</b>"
    nurse.save()
    actions.record_vitals(infusion, by=nurse, values=GOOD_VITALS | {"temperature": D("36.8")})
    client = signed_in(nurse)
    assert "<td>36.8</td>" in chairside(client, visit).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    html = chairside(client, visit).content.decode()
    assert "<td>36,8</td>" in html
    assert "&lt;b&gt;Nora&lt;/b&gt;" in html and "<b>Nora</b>" not in html
