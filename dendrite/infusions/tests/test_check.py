"""The check at the chair (nurse): identifiers, consent, fasting, escort, weight today in
kg or lb, baseline vitals, pregnancy, today's questionnaires. A baseline pressure over the
hold limit holds the start for a prescriber; an open safety alert blocks it."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from dendrite.alerts.models import SafetyAlert
from dendrite.audit.models import AuditEvent
from dendrite.conftest import signed_in
from dendrite.infusions import actions
from dendrite.infusions.models import Infusion, Observation, VitalSigns

from .conftest import NOW, check_post, checked

pytestmark = pytest.mark.django_db


def url(visit, name="check"):
    return reverse(f"infusions:{name}", args=[visit.pk])


def test_the_nurse_records_the_check_and_the_baseline_as_coded_observations(visit, order, nurse):
    response = signed_in(nurse).post(url(visit), check_post(weight="176", weight_unit="lb"))
    assert response.status_code == 302
    infusion = Infusion.objects.get()
    assert (infusion.stage, infusion.weight_kg, infusion.weight_entered) == (
        "checked",
        Decimal("79.8"),
        "176 lb",
    )
    assert infusion.escort_phone == "+16175550199" and infusion.order == order
    codes = dict(Observation.objects.values_list("code", "unit"))
    assert codes == {
        "8480-6": "mm[Hg]",
        "8462-4": "mm[Hg]",
        "8867-4": "/min",
        "59408-5": "%",
        "9279-1": "/min",
    }
    assert VitalSigns.objects.get().phase == "baseline"
    page = signed_in(nurse).get(url(visit, "chairside")).content.decode()
    assert "79.8 kg (175.9 lb), entered as 176 lb" in page


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"weight": "0"}, "weight", "cannot be right"),
        ({"weight": "900"}, "weight", "cannot be right"),
        ({"weight": "eighty"}, "weight", "Please enter a number"),
        ({"spo2": "140"}, "spo2", "cannot be a real oxygen saturation"),
        ({"diastolic": "130", "systolic": "120"}, "diastolic", "lower than the systolic"),
        ({"identifiers": ["name"]}, "identifiers", "two identifiers"),
        ({"escort_phone": "12"}, "escort_phone", "phone number"),
        ({"questionnaires_reviewed": ""}, "questionnaires_reviewed", "required"),
        ({"fasting_hours": ""}, "fasting_hours", "required"),
    ],
)
def test_bad_input_is_refused_per_field_keeps_what_was_typed_and_saves_nothing(
    visit, order, nurse, extra, field, words
):
    response = signed_in(nurse).post(url(visit), check_post(**extra))
    assert response.status_code == 200
    form = response.context["page"].forms["check"]
    assert words in " ".join(form.errors[field])
    assert form["escort_name"].value() == "Sam Lovelace"
    assert not Infusion.objects.exists() and not VitalSigns.objects.exists()


def test_there_is_no_check_without_a_signed_order(visit, nurse):
    page = signed_in(nurse).get(url(visit, "chairside"))
    assert "check" not in page.context["page"].forms
    assert "A prescriber must write and sign one" in page.content.decode()
    response = signed_in(nurse).post(url(visit), check_post())
    assert response.status_code == 200 and not Infusion.objects.exists()


def test_a_withdrawn_consent_refuses_the_check(visit, order, nurse):
    from dendrite.patients.models import Consent

    Consent.objects.create(
        patient=visit.patient,
        kind="treatment",
        status="withdrawn",
        date=NOW.date(),
        recorded_by=nurse,
    )
    response = signed_in(nurse).post(url(visit), check_post())
    errors = response.context["page"].forms["check"].errors["consent_confirmed"]
    assert "no treatment consent in force" in " ".join(errors)
    assert not Infusion.objects.exists()


def test_a_high_baseline_pressure_holds_the_start_until_a_prescriber_decides(
    visit, order, nurse, prescriber
):
    signed_in(nurse).post(url(visit), check_post(systolic="168", diastolic="96"))
    infusion = Infusion.objects.get()
    assert (
        infusion.stage == "on_hold"
        and "is above the clinic's limit of 140/90" in infusion.hold_reason
    )
    assert any("On hold" in b for b in actions.blockers(infusion))
    assert (
        signed_in(nurse)
        .post(url(visit, "hold"), {"hold-decision": "proceed", "hold-note": "ok"})
        .status_code
        == 403
    )
    bad = signed_in(prescriber).post(url(visit, "hold"), {"hold-decision": "proceed"})
    assert "required" in " ".join(bad.context["page"].forms["hold"].errors["note"])
    response = signed_in(prescriber).post(
        url(visit, "hold"),
        {"hold-decision": "proceed", "hold-note": "Rechecked 150/88 after rest."},
    )
    assert response.status_code == 302
    infusion.refresh_from_db()
    assert (infusion.stage, infusion.hold_decided_by) == ("checked", prescriber)


def test_a_check_without_a_baseline_pressure_is_refused_and_nothing_is_recorded(
    visit, order, nurse
):
    with pytest.raises(actions.Refused, match="baseline blood pressure"):
        checked(visit, nurse, order, systolic=None)
    assert not Infusion.objects.exists()


def test_a_possible_pregnancy_holds_the_start(visit, order, nurse):
    infusion = checked(visit, nurse, order, pregnancy="possible")
    assert infusion.stage == "on_hold" and "pregnant" in infusion.hold_reason


def test_an_open_safety_alert_blocks_the_start(visit, order, nurse):
    infusion = checked(visit, nurse, order)
    SafetyAlert.objects.create(
        location=visit.location, patient=visit.patient, source="test", escalate_at=NOW
    )
    assert any("open safety alert" in b for b in actions.blockers(infusion))


def test_anonymous_is_sent_to_sign_in(visit, order):
    response = Client().post(url(visit), check_post())
    assert response.status_code == 302 and not Infusion.objects.exists()


def test_front_desk_and_clinic_admin_may_not_open_the_chair(visit, order, front_desk, clinic_admin):
    for user in (front_desk, clinic_admin):
        assert signed_in(user).get(url(visit, "chairside")).status_code == 403
        assert signed_in(user).post(url(visit), check_post()).status_code == 403
    assert not Infusion.objects.exists()


def test_another_location_is_a_404_audited_as_denied(visit, order, prescriber_hartford):
    assert signed_in(prescriber_hartford).get(url(visit, "chairside")).status_code == 404
    assert signed_in(prescriber_hartford).post(url(visit), check_post()).status_code == 404
    assert (
        AuditEvent.objects.filter(outcome="denied", patient_id=str(visit.patient_id)).count() == 2
    )


def test_a_visit_that_is_not_an_infusion_has_no_chairside_page(alice, nurse):
    from dendrite.scheduling.models import Kind
    from dendrite.scheduling.tests.conftest import make_appointment

    consult = make_appointment(alice, Kind.CONSULTATION, NOW, nurse)
    assert signed_in(nurse).get(url(consult, "chairside")).status_code == 404


def test_reading_the_chair_is_audited(visit, order, nurse):
    signed_in(nurse).get(url(visit, "chairside"))
    assert AuditEvent.objects.filter(
        action="scheduling.appointment.chairside", outcome="success"
    ).exists()
