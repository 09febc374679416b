"""Clinic admins manage the staff of their own locations; every change is audited."""

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from dendrite.accounts.models import Role, User
from dendrite.audit.models import AuditEvent
from dendrite.conftest import current_code, make_user, query_count, signed_in

pytestmark = pytest.mark.django_db


def new_user_data(location, **overrides):
    return {
        "username": "sam_new",
        "first_name": "Sam",
        "last_name": "Newton",
        "email": "sam@example.test",
        "role": Role.NURSE,
        "locations": [location.pk],
        **overrides,
    }


def test_an_admin_sees_the_staff_of_their_location_only(clinic_admin, nurse, prescriber_hartford):
    response = signed_in(clinic_admin).get(reverse("accounts:user_list"))
    assert response.status_code == 200
    assert nurse.username.encode() in response.content
    assert prescriber_hartford.username.encode() not in response.content


def test_the_list_keeps_a_constant_query_count(clinic_admin, nurse, boston):
    client = signed_in(clinic_admin)
    client.get(reverse("accounts:user_list"))
    few = query_count(lambda: client.get(reverse("accounts:user_list")))
    for number in range(30):
        make_user(f"extra{number}", Role.NURSE, boston)
    assert query_count(lambda: client.get(reverse("accounts:user_list"))) == few


def test_adding_a_staff_member_queues_a_welcome_email(clinic_admin, boston, run_worker):
    response = signed_in(clinic_admin).post(reverse("accounts:user_create"), new_user_data(boston))
    assert response.status_code == 302
    user = User.objects.get(username="sam_new")
    assert list(user.locations.all()) == [boston]
    assert AuditEvent.objects.filter(action="accounts.user.create", object_id=str(user.pk)).exists()
    run_worker()
    assert [m.subject for m in mail.outbox] == ["Your Dendrite staff account"]
    assert "/accounts/password-reset/" in mail.outbox[0].body


def test_bad_input_keeps_what_was_typed_and_saves_nothing(clinic_admin, boston, nurse):
    data = new_user_data(boston, email=nurse.email, last_name="")
    response = signed_in(clinic_admin).post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    assert b"Another account already uses this e-mail address." in response.content
    assert b"This field is required." in response.content
    assert b'value="sam_new"' in response.content
    assert not User.objects.filter(username="sam_new").exists()


def test_an_admin_cannot_place_staff_at_another_location(clinic_admin, hartford):
    response = signed_in(clinic_admin).post(
        reverse("accounts:user_create"), new_user_data(hartford)
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="sam_new").exists()


def test_other_roles_are_refused(nurse, front_desk, prescriber):
    for user in (nurse, front_desk, prescriber):
        assert signed_in(user).get(reverse("accounts:user_list")).status_code == 403


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_staff_of_another_location_are_a_404_and_audited(clinic_admin, prescriber_hartford):
    client = signed_in(clinic_admin)
    assert (
        client.get(reverse("accounts:user_edit", args=[prescriber_hartford.pk])).status_code == 404
    )
    url = reverse("accounts:user_deactivate", args=[prescriber_hartford.pk])
    assert client.post(url).status_code == 404
    prescriber_hartford.refresh_from_db()
    assert prescriber_hartford.is_active
    assert AuditEvent.objects.filter(
        outcome="denied", object_id=str(prescriber_hartford.pk)
    ).exists()


def test_switching_off_an_account_stops_its_sign_in(clinic_admin, nurse):
    url = reverse("accounts:user_deactivate", args=[nurse.pk])
    signed_in(clinic_admin).post(url)
    nurse.refresh_from_db()
    assert not nurse.is_active
    assert AuditEvent.objects.filter(action="accounts.user.deactivate").exists()


def test_resetting_the_authenticator_makes_the_user_enrol_again(clinic_admin, nurse):
    url = reverse("accounts:user_reset_mfa", args=[nurse.pk])
    signed_in(clinic_admin).post(url, {"code": current_code(clinic_admin)})
    assert not TOTPDevice.objects.filter(user=nurse).exists()


def test_unlock_clears_a_lockout(clinic_admin, nurse, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": nurse.username, "password": "nope"})
    assert AccessAttempt.objects.filter(username=nurse.username).exists()
    signed_in(clinic_admin).post(reverse("accounts:user_unlock", args=[nurse.pk]))
    assert not AccessAttempt.objects.filter(username=nurse.username).exists()


def test_an_admin_cannot_switch_off_their_own_account(clinic_admin):
    url = reverse("accounts:user_deactivate", args=[clinic_admin.pk])
    assert signed_in(clinic_admin).post(url).status_code == 404
    clinic_admin.refresh_from_db()
    assert clinic_admin.is_active


def test_switching_on_lets_the_account_sign_in_again(clinic_admin, nurse):
    nurse.is_active = False
    nurse.save()
    signed_in(clinic_admin).post(reverse("accounts:user_activate", args=[nurse.pk]))
    nurse.refresh_from_db()
    assert nurse.is_active
    event = AuditEvent.objects.get(action="accounts.user.activate")
    assert event.detail == {"is_active": [False, True]}


def test_the_actions_accept_only_post(clinic_admin, nurse):
    client = signed_in(clinic_admin)
    for name in ("user_activate", "user_unlock"):  # switching off: a GET asks to confirm
        assert client.get(reverse(f"accounts:{name}", args=[nurse.pk])).status_code == 405
    nurse.refresh_from_db()
    assert nurse.is_active


def test_a_refusal_for_the_wrong_role_is_audited(nurse):
    signed_in(nurse).get(reverse("accounts:user_list"))
    event = AuditEvent.objects.get(action="access.denied")
    assert (event.actor_id, event.outcome) == (nurse.pk, "denied")
    assert event.object_id.endswith("user_list")


def test_switching_off_an_account_asks_to_confirm_first(clinic_admin, nurse):
    url = reverse("accounts:user_deactivate", args=[nurse.pk])
    client = signed_in(clinic_admin)
    assert url in client.get(reverse("accounts:user_list")).content.decode()
    page = client.get(url)
    assert "Switch off the account of Nora Tester?" in page.content.decode()
    nurse.refresh_from_db()
    assert nurse.is_active  # asking changed nothing
    client.post(url)
    nurse.refresh_from_db()
    assert not nurse.is_active
