"""The back office: a clinic admin's reach ends at their own locations."""

import pytest
from django.urls import reverse

from dendrite.clinics.models import Chair
from dendrite.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_a_clinic_admin_edits_staff_of_their_location(clinic_admin, nurse):
    url = reverse("admin:accounts_user_change", args=[nurse.pk])
    assert signed_in(clinic_admin).get(url).status_code == 200


def test_staff_of_another_location_are_out_of_reach(clinic_admin, prescriber_hartford):
    client = signed_in(clinic_admin)
    change = reverse("admin:accounts_user_change", args=[prescriber_hartford.pk])
    assert client.get(change).status_code == 302  # the admin's "does not exist" redirect
    listing = client.get(reverse("admin:accounts_user_changelist"))
    assert prescriber_hartford.username.encode() not in listing.content


def test_a_clinic_admin_cannot_set_anyones_password(clinic_admin, nurse):
    url = reverse("admin:auth_user_password_change", args=[nurse.pk]).replace(
        "/auth/user/", "/accounts/user/"
    )
    assert signed_in(clinic_admin).get(url).status_code == 403


def test_chairs_of_another_location_are_out_of_reach(clinic_admin, boston, hartford):
    client = signed_in(clinic_admin)
    theirs = Chair.objects.get(location=hartford)
    url = reverse("admin:clinics_chair_change", args=[theirs.pk])
    assert client.get(url).status_code == 302
    listing = client.get(reverse("admin:clinics_location_changelist"))
    assert b"West Hartford" not in listing.content


def test_a_clinic_admin_cannot_see_anyones_totp_secret(clinic_admin, nurse):
    client = signed_in(clinic_admin)
    assert client.get(reverse("admin:otp_totp_totpdevice_changelist")).status_code == 403
    assert (
        client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).status_code
        == 403
    )
