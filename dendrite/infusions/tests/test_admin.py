"""The back office's infusion pages: read-only for clinic admins and superusers alike,
each clinic admin sees only their own location's records, and opening one is audited as
a read of the patient's data."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dendrite.accounts.models import Role, User
from dendrite.audit.models import AuditEvent
from dendrite.conftest import make_user, signed_in
from dendrite.infusions import actions
from dendrite.infusions.models import (
    ChairsideAlert,
    Infusion,
    InfusionOrder,
    VitalSigns,
)

from .conftest import GOOD_VITALS, checked, running, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(visit, order, nurse, nurse_two, charlie_visit, prescriber_hartford):
    """A running Boston infusion with a chairside alert, and a checked Hartford one."""
    infusion = running(visit, nurse, nurse_two, order)
    actions.record_vitals(infusion, by=nurse, values=GOOD_VITALS | {"systolic": Decimal(190)})
    hartford_order = sign(charlie_visit, prescriber_hartford)
    checked(charlie_visit, prescriber_hartford, hartford_order)
    return {
        "Boston": Infusion.objects.get(location__name="Boston"),
        "West Hartford": Infusion.objects.get(location__name="West Hartford"),
    }


def rows_of(infusion: Infusion) -> dict[str, object]:
    return {
        "infusionorder": infusion.order,
        "infusion": infusion,
        "vitalsigns": VitalSigns.objects.filter(infusion=infusion).first(),
    }


SCREENS = ["infusionorder", "infusion", "vitalsigns"]


@pytest.mark.parametrize("screen", SCREENS)
def test_a_clinic_admin_sees_only_their_own_location(records, clinic_admin, screen):
    client = signed_in(clinic_admin)
    listing = client.get(reverse(f"admin:infusions_{screen}_changelist"))
    assert listing.status_code == 200
    own, other = rows_of(records["Boston"])[screen], rows_of(records["West Hartford"])[screen]
    own_url = reverse(f"admin:infusions_{screen}_change", args=[own.pk])
    other_url = reverse(f"admin:infusions_{screen}_change", args=[other.pk])
    assert own_url.encode() in listing.content and other_url.encode() not in listing.content
    assert client.get(own_url).status_code == 200
    assert client.get(other_url).status_code == 302  # "does not exist", back to the index


def test_the_alert_page_lists_its_messages_and_shows_only_the_admins_location(
    records, clinic_admin, hartford
):
    alert = ChairsideAlert.objects.get()
    url = reverse("admin:infusions_chairsidealert_change", args=[alert.pk])
    page = signed_in(clinic_admin).get(url)
    assert page.status_code == 200 and "Messages sent" in page.content.decode()
    hal = make_user("hal_admin", Role.CLINIC_ADMIN, hartford)
    assert signed_in(hal).get(url).status_code == 302


@pytest.mark.parametrize("screen", [*SCREENS, "chairsidealert"])
def test_nobody_adds_changes_or_deletes_a_clinical_record(records, clinic_admin, screen):
    superuser = make_user("sue_superuser", Role.CLINIC_ADMIN)
    User.objects.filter(pk=superuser.pk).update(is_superuser=True, is_staff=True)
    superuser.refresh_from_db()
    row = {**rows_of(records["Boston"]), "chairsidealert": ChairsideAlert.objects.get()}[screen]
    for user in (clinic_admin, superuser):
        client = signed_in(user)
        assert client.get(reverse(f"admin:infusions_{screen}_add")).status_code == 403
        delete = reverse(f"admin:infusions_{screen}_delete", args=[row.pk])
        assert client.get(delete).status_code == 403
        change = reverse(f"admin:infusions_{screen}_change", args=[row.pk])
        page = client.get(change)
        assert page.status_code == 200 and b'type="submit" value="Save"' not in page.content
        assert client.post(change, {}).status_code == 403
        listing = client.get(reverse(f"admin:infusions_{screen}_changelist"))
        assert b"delete_selected" not in listing.content
    assert type(row).objects.filter(pk=row.pk).exists()


def test_opening_a_record_is_audited_with_its_patient(records, clinic_admin):
    infusion = records["Boston"]
    signed_in(clinic_admin).get(reverse("admin:infusions_infusion_change", args=[infusion.pk]))
    entry = AuditEvent.objects.get(action="infusions.infusion.admin_read")
    assert (entry.actor_username, entry.patient_id) == (
        clinic_admin.username,
        str(infusion.patient_id),
    )


def test_the_infusion_page_uses_human_labels(records, clinic_admin):
    infusion = records["Boston"]
    page = signed_in(clinic_admin).get(
        reverse("admin:infusions_infusion_change", args=[infusion.pk])
    )
    html = page.content.decode()
    for label in ("Weight (kg)", "Dose (mg)", "Pump rate (mL/h)", "Check at the chair"):
        assert label in html
    assert "Rate ml per h" not in html and "Weight kg" not in html


def test_nurses_have_no_back_office(records, nurse):
    page = signed_in(nurse).get(reverse("admin:infusions_infusion_changelist"))
    assert page.status_code == 302


def test_orders_list_for_the_superuser_shows_both_locations(records):
    superuser = make_user("sue_superuser", Role.CLINIC_ADMIN)
    User.objects.filter(pk=superuser.pk).update(is_superuser=True, is_staff=True)
    listing = signed_in(User.objects.get(pk=superuser.pk)).get(
        reverse("admin:infusions_infusionorder_changelist")
    )
    for order in InfusionOrder.objects.all():
        change = reverse("admin:infusions_infusionorder_change", args=[order.pk])
        assert change.encode() in listing.content
