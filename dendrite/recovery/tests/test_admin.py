"""The clinic's lapse and relapse definition, set by a clinic admin in the back office."""

import pytest
from django.urls import reverse

from dendrite.conftest import signed_in
from dendrite.recovery.models import RecoverySettings

pytestmark = pytest.mark.django_db


def test_a_clinic_admin_sets_the_clinics_definition(clinic_admin, boston) -> None:
    client = signed_in(clinic_admin)
    url = reverse("admin:recovery_recoverysettings_add")
    page = client.get(url)
    assert page.status_code == 200
    assert "Definitions of lapse and relapse vary" in page.content.decode()
    data = {
        "organization": boston.organization_id,
        "abstinent_days": 14,
        "heavy_days": 2,
        "window_days": 7,
        "task_role": "prescriber",
        "task_due_days": 1,
    }
    assert client.post(url, data).status_code == 302
    saved = RecoverySettings.objects.get()
    assert (saved.definition.abstinent_days, saved.definition.heavy_days) == (14, 2)
    listed = client.get(reverse("admin:recovery_recoverysettings_changelist"))
    assert listed.status_code == 200


def test_front_desk_cannot_open_the_back_office(front_desk) -> None:
    url = reverse("admin:recovery_recoverysettings_changelist")
    assert signed_in(front_desk).get(url).status_code in (302, 403)
