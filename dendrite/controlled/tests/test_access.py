"""vials_in_use_for: the vials the infusion record offers to draw from."""

import pytest

from dendrite.audit.models import AuditEvent
from dendrite.controlled import access

from .conftest import D, administer

pytestmark = pytest.mark.django_db


def test_clinicians_get_the_vials_with_something_left_in_number_order(
    boston, boston_vials, alice_infusion, nurse, prescriber
):
    administer(boston_vials[0], alice_infusion, nurse, prescriber,
               drawn_ml=D("10"), given_ml=D("9.5"), wasted_ml=D("0.5"))  # fmt: skip
    administer(boston_vials[1], alice_infusion, nurse, prescriber)
    vials = access.vials_in_use_for(prescriber, boston)
    assert [(v.number, v.balance_ml) for v in vials] == [(2, D("7.20"))]
    assert str(vials[0].balance_ml) == "7.20"  # to the hundredth on every database
    assert vials[0].opened_at is not None
    event = AuditEvent.objects.filter(action="controlled.vial.list").latest("id")
    assert event.detail == {"ids": [boston_vials[1].pk]}


def test_anyone_else_gets_no_vials_and_the_attempt_is_audited(
    boston, boston_vials, front_desk, clinic_admin, prescriber_hartford
):
    for user in (front_desk, clinic_admin, prescriber_hartford):
        assert access.vials_in_use_for(user, boston) == []
    assert AuditEvent.objects.filter(action="controlled.vial.list", outcome="denied").count() == 3
