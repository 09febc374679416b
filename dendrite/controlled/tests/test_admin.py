"""The ketamine log in the back office: a clinic admin reads their own locations' log and
nothing of the other's; nobody adds, changes or deletes a line there; patients appear
by record number only."""

import pytest
from django.urls import reverse

from dendrite.conftest import make_user, signed_in
from dendrite.controlled import actions
from dendrite.controlled.models import Count, Movement, Receipt, Vial

from .conftest import administer

pytestmark = pytest.mark.django_db

MODELS = {"receipt": Receipt, "vial": Vial, "count": Count, "movement": Movement}


@pytest.fixture
def log(boston_vials, hartford_vial, alice_infusion, nurse, prescriber, prescriber_hartford):
    administer(boston_vials[0], alice_infusion, nurse, prescriber)
    for location, by in (
        (boston_vials[0].location, nurse),
        (hartford_vial.location, prescriber_hartford),
    ):
        in_stock = Vial.objects.in_stock().filter(location=location)
        actions.record_count(
            location=location, kind=Count.Kind.DAILY, timing=Count.Timing.CLOSE,
            counted={v.pk: (v.balance_ml, False) for v in in_stock}, explanation="", by=by,
        )  # fmt: skip


@pytest.mark.parametrize("name", list(MODELS))
def test_a_clinic_admin_reads_only_their_own_locations_log(
    log, clinic_admin, boston, hartford, name
):
    model = MODELS[name]
    client = signed_in(clinic_admin)
    listing = client.get(reverse(f"admin:controlled_{name}_changelist"))
    assert listing.status_code == 200
    for row in model.objects.all():
        change = reverse(f"admin:controlled_{name}_change", args=[row.pk])
        mine = row.location_id == boston.pk
        assert (change.encode() in listing.content) is mine
        assert client.get(change).status_code == (200 if mine else 302)
    assert b"West Hartford" not in listing.content


@pytest.mark.parametrize("name", list(MODELS))
def test_nobody_adds_changes_or_deletes_a_line_in_the_back_office(log, clinic_admin, name):
    model = MODELS[name]
    superuser = make_user("sue_superuser", "clinic_admin")
    type(superuser).objects.filter(pk=superuser.pk).update(is_superuser=True, is_staff=True)
    superuser.refresh_from_db()
    row = model.objects.filter(location__slug="boston").first()
    before = model.objects.count()
    for user in (clinic_admin, superuser):
        client = signed_in(user)
        changelist = reverse(f"admin:controlled_{name}_changelist")
        change = reverse(f"admin:controlled_{name}_change", args=[row.pk])
        page = client.get(change)
        assert page.status_code == 200 and b'name="_save"' not in page.content
        assert client.get(reverse(f"admin:controlled_{name}_add")).status_code == 403
        assert client.post(change, {}).status_code == 403
        delete = reverse(f"admin:controlled_{name}_delete", args=[row.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        bulk = {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
        client.post(changelist, bulk)
        assert b"delete_selected" not in client.get(changelist).content
    assert model.objects.count() == before


def test_the_back_office_shows_a_draw_with_the_patients_record_number_not_their_name(
    log, clinic_admin, alice
):
    draw = Movement.objects.get(kind=Movement.Kind.ADMINISTERED)
    page = signed_in(clinic_admin).get(reverse("admin:controlled_movement_change", args=[draw.pk]))
    assert alice.mrn.encode() in page.content
    assert alice.last_name.encode() not in page.content
    assert b"Wasted (mL)" in page.content or b"wasted (mL)" in page.content


def test_the_front_desk_and_nurses_have_no_back_office(log, front_desk, nurse):
    for user in (front_desk, nurse):
        response = signed_in(user).get(reverse("admin:controlled_movement_changelist"))
        assert response.status_code in (302, 403)
