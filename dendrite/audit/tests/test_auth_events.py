"""Login, logout, failures, lockouts, MFA and admin changes are audited from day one."""

import pytest
from django.urls import reverse

from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Chair
from dendrite.conftest import PASSWORD, current_code, signed_in

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(AuditEvent.objects.values_list("action", flat=True))


def test_a_full_sign_in_and_out_is_recorded_with_address_and_browser(client, nurse):
    client.post(
        reverse("accounts:login"),
        {"username": nurse.username, "password": PASSWORD},
        HTTP_USER_AGENT="TestBrowser/1.0",
    )
    client.post(reverse("accounts:mfa"), {"token": current_code(nurse)})
    client.post(reverse("accounts:logout"))
    assert actions() == ["auth.login", "mfa.verified", "auth.logout"]
    login = AuditEvent.objects.first()
    assert login.ip_address == "127.0.0.1"
    assert login.user_agent == "TestBrowser/1.0"


def test_failed_logins_and_the_lockout_are_recorded_without_the_password(client, nurse, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": nurse.username, "password": "guess-1"})
    assert actions().count("auth.login_failed") == settings.AXES_FAILURE_LIMIT
    assert "auth.locked_out" in actions()
    assert not AuditEvent.objects.filter(detail__icontains="guess-1").exists()


def test_an_admin_change_is_recorded(clinic_admin, boston):
    chair = Chair.objects.get(location=boston)
    client = signed_in(clinic_admin)
    url = reverse("admin:clinics_chair_change", args=[chair.pk])
    response = client.post(url, {"location": boston.pk, "name": "Window chair", "is_active": "on"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.change")
    assert (event.object_type, event.object_id, event.actor_id) == (
        "clinics.chair",
        str(chair.pk),
        clinic_admin.pk,
    )


def test_an_admin_delete_is_recorded(clinic_admin, boston):
    chair = Chair.objects.get(location=boston)
    client = signed_in(clinic_admin)
    url = reverse("admin:clinics_chair_delete", args=[chair.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert AuditEvent.objects.filter(action="admin.delete", object_id=str(chair.pk)).exists()


def test_a_clinic_admin_cannot_grant_superuser_rights_in_the_admin(clinic_admin, nurse):
    client = signed_in(clinic_admin)
    page = client.get(reverse("admin:accounts_user_change", args=[nurse.pk]))
    assert page.status_code == 200
    assert b'name="is_superuser"' not in page.content


def test_behind_a_proxy_the_audit_trail_records_the_clients_address(client, nurse, settings):
    settings.PROXY_COUNT = 1
    client.post(
        reverse("accounts:login"),
        {"username": nurse.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7",  # the client wrote the first part
        REMOTE_ADDR="127.0.0.1",
    )
    assert AuditEvent.objects.get(action="auth.login").ip_address == "203.0.113.7"


def test_without_a_proxy_a_forwarded_header_is_ignored(client, nurse):
    client.post(
        reverse("accounts:login"),
        {"username": nurse.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert AuditEvent.objects.get(action="auth.login").ip_address == "127.0.0.1"
