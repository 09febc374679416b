"""Nobody can become more than they are through the staff-accounts page (issue #11).

The attacks: a clinic admin takes over a superuser (edit the e-mail, reset the
authenticator, send a password link); a clinic admin makes themselves a prescriber.
Each is reproduced here and now fails. The cast: clinic_admin runs Boston; alma is a
second Boston clinic admin; sue is a superuser at Boston; nurse and prescriber work at
Boston.
"""

import datetime as dt
import json

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from dendrite.accounts import actions
from dendrite.accounts.forms import OWN_ACCOUNT, STEP_UP_MISSING, STEP_UP_WRONG, UserForm
from dendrite.accounts.models import Role, RoleRequest, User
from dendrite.audit.models import AuditEvent
from dendrite.conftest import current_code, make_user, signed_in

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)


@pytest.fixture
def alma(boston):
    return make_user("alma_admin", Role.CLINIC_ADMIN, boston)


@pytest.fixture
def sue(boston):
    user = make_user("sue_super", Role.CLINIC_ADMIN, boston)
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def edit_data(user, code="", **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "locations": [location.pk for location in user.locations.all()],
        "code": code,
        **changes,
    }
    return data


def edit(client, user, **changes):
    return client.post(reverse("accounts:user_edit", args=[user.pk]), edit_data(user, **changes))


# 1. A clinic admin can no longer take over a superuser.


def test_an_admin_cannot_see_or_change_a_superusers_email(clinic_admin, sue):
    client = signed_in(clinic_admin)
    assert sue.username.encode() not in client.get(reverse("accounts:user_list")).content
    assert client.get(reverse("accounts:user_edit", args=[sue.pk])).status_code == 404
    response = edit(client, sue, email="attacker@example.test", code=current_code(clinic_admin))
    assert response.status_code == 404
    sue.refresh_from_db()
    assert sue.email == "sue_super@example.test"
    assert AuditEvent.objects.filter(
        action="accounts.user.read", object_id=str(sue.pk), outcome="denied"
    ).exists()


def test_an_admin_cannot_reset_a_superusers_authenticator(clinic_admin, sue):
    url = reverse("accounts:user_reset_mfa", args=[sue.pk])
    response = signed_in(clinic_admin).post(url, {"code": current_code(clinic_admin)})
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=sue, confirmed=True).exists()


def test_an_admin_cannot_send_a_superuser_a_password_link(clinic_admin, sue, run_worker):
    url = reverse("accounts:user_send_password_link", args=[sue.pk])
    response = signed_in(clinic_admin).post(url, {"code": current_code(clinic_admin)})
    assert response.status_code == 404
    run_worker()
    assert mail.outbox == []


def test_an_admin_cannot_change_another_clinic_admin(clinic_admin, alma):
    client = signed_in(clinic_admin)
    assert client.get(reverse("accounts:user_edit", args=[alma.pk])).status_code == 404
    response = edit(client, alma, email="x@example.test", code=current_code(clinic_admin))
    assert response.status_code == 404
    for name in ("user_deactivate", "user_reset_mfa", "user_send_password_link"):
        assert client.post(reverse(f"accounts:{name}", args=[alma.pk])).status_code == 404
    alma.refresh_from_db()
    assert (alma.email, alma.is_active) == ("alma_admin@example.test", True)
    assert TOTPDevice.objects.filter(user=alma).exists()


def test_an_admin_cannot_make_anyone_a_clinic_admin(clinic_admin, nurse):
    response = edit(
        signed_in(clinic_admin), nurse, role=Role.CLINIC_ADMIN, code=current_code(clinic_admin)
    )
    assert response.status_code == 200
    assert b"Select a valid choice." in response.content
    nurse.refresh_from_db()
    assert nurse.role == Role.NURSE
    assert not RoleRequest.objects.exists()


def test_the_actions_refuse_what_the_pages_hide(clinic_admin, sue, alma):
    """A caller that skips the access helper still cannot take over an account."""
    for target in (sue, alma, clinic_admin):
        with pytest.raises(actions.Refused):
            actions.reset_authenticator(target, by=clinic_admin)
        with pytest.raises(actions.Refused):
            actions.send_password_link(target, by=clinic_admin)
    assert TOTPDevice.objects.filter(user__in=[sue, alma, clinic_admin]).count() == 3


def test_a_superuser_manages_a_clinic_admin(sue, alma, run_worker):
    response = edit(signed_in(sue), alma, email="alma.new@example.test", code=current_code(sue))
    assert response.status_code == 302
    alma.refresh_from_db()
    assert alma.email == "alma.new@example.test"


def test_the_back_office_only_shows_staff_accounts_to_a_clinic_admin(clinic_admin, nurse):
    url = reverse("admin:accounts_user_change", args=[nurse.pk])
    data = {"username": nurse.username, "role": Role.PRESCRIBER, "email": "x@example.test"}
    response = signed_in(clinic_admin).post(url, data)
    assert response.status_code == 403
    nurse.refresh_from_db()
    assert (nurse.role, nurse.email) == (Role.NURSE, "nora_nurse@example.test")


# 3. Nobody changes their own role or locations; clinical roles need a second admin.


def test_an_admin_cannot_change_their_own_role_or_locations(clinic_admin, hartford):
    response = edit(
        signed_in(clinic_admin),
        clinic_admin,
        role=Role.PRESCRIBER,
        locations=[hartford.pk],
        code=current_code(clinic_admin),
    )
    assert response.status_code == 404
    clinic_admin.refresh_from_db()
    assert clinic_admin.role == Role.CLINIC_ADMIN
    assert clinic_admin.location_ids != {hartford.pk}


def test_the_form_refuses_a_change_of_ones_own_role(sue):
    form = UserForm(edit_data(sue, role=Role.PRESCRIBER), instance=sue, manager=sue)
    assert not form.is_valid()
    assert form.non_field_errors() == [OWN_ACCOUNT]


def test_the_action_refuses_a_change_of_ones_own_role(clinic_admin, sue):
    for person in (clinic_admin, sue):
        person.role = Role.PRESCRIBER
        with pytest.raises(actions.Refused):
            actions.change_user(person, person.locations.all(), by=person)
        person.refresh_from_db()
        assert person.role == Role.CLINIC_ADMIN


def test_a_prescriber_role_from_one_admin_waits_for_a_second(clinic_admin, alma, nurse, run_worker):
    client = signed_in(clinic_admin)
    response = edit(client, nurse, role=Role.PRESCRIBER, code=current_code(clinic_admin))
    assert response.status_code == 302
    nurse.refresh_from_db()
    assert nurse.role == Role.NURSE  # not in force yet
    role_request = RoleRequest.objects.open().get(user=nurse)
    assert (role_request.role, role_request.requested_by) == (Role.PRESCRIBER, clinic_admin)
    change = AuditEvent.objects.get(action="accounts.user.change")
    assert change.detail["role_requested"] == Role.PRESCRIBER

    # The admin who asked cannot approve it.
    approve = reverse("accounts:role_request_approve", args=[role_request.pk])
    response = client.post(approve, {"code": ""}, follow=True)
    assert b"Another clinic admin must approve a change you asked for." in response.content
    nurse.refresh_from_db()
    assert nurse.role == Role.NURSE

    # A second admin of the location does.
    response = signed_in(alma).post(approve, {"code": current_code(alma)})
    assert response.status_code == 302
    nurse.refresh_from_db()
    assert nurse.role == Role.PRESCRIBER
    event = AuditEvent.objects.get(action="accounts.user.role_approve")
    assert event.actor_id == alma.pk
    assert event.detail["changes"] == {"role": [Role.NURSE, Role.PRESCRIBER]}
    assert event.detail["requested_by"] == clinic_admin.pk
    run_worker()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["nora_nurse@example.test"], "Your staff account was changed")
    ]
    assert "its role" in mail.outbox[0].body


def test_approving_needs_the_second_admins_own_code(clinic_admin, alma, nurse):
    role_request = actions.ask_for_role(nurse, Role.PRESCRIBER, by=clinic_admin)
    url = reverse("accounts:role_request_approve", args=[role_request.pk])
    response = signed_in(alma).post(url, {"code": ""})
    assert response.status_code == 200
    assert STEP_UP_MISSING.encode() in response.content
    nurse.refresh_from_db()
    assert nurse.role == Role.NURSE


def test_a_declined_role_never_takes_effect(clinic_admin, alma, front_desk):
    role_request = actions.ask_for_role(front_desk, Role.NURSE, by=clinic_admin)
    signed_in(alma).post(reverse("accounts:role_request_decline", args=[role_request.pk]))
    role_request.refresh_from_db()
    assert role_request.approved is False
    url = reverse("accounts:role_request_approve", args=[role_request.pk])
    assert signed_in(alma).post(url, {"code": current_code(alma)}).status_code == 404
    front_desk.refresh_from_db()
    assert front_desk.role == Role.FRONT_DESK


def test_a_new_prescriber_account_works_as_front_desk_until_approved(clinic_admin, boston):
    data = {
        "username": "pat_new", "first_name": "Pat", "last_name": "New",
        "email": "pat@example.test", "role": Role.PRESCRIBER, "locations": [boston.pk],
    }  # fmt: skip
    response = signed_in(clinic_admin).post(reverse("accounts:user_create"), data, follow=True)
    assert b"takes effect once another clinic admin" in response.content
    user = User.objects.get(username="pat_new")
    assert user.role == Role.FRONT_DESK
    assert RoleRequest.objects.open().get(user=user).role == Role.PRESCRIBER


def test_a_superuser_gives_a_clinical_role_at_once(sue, front_desk):
    response = edit(signed_in(sue), front_desk, role=Role.NURSE, code=current_code(sue))
    assert response.status_code == 302
    front_desk.refresh_from_db()
    assert front_desk.role == Role.NURSE
    assert not RoleRequest.objects.exists()


def test_taking_a_clinical_role_away_takes_effect_at_once(clinic_admin, prescriber):
    response = edit(
        signed_in(clinic_admin),
        prescriber,
        role=Role.FRONT_DESK,
        code=current_code(clinic_admin),
    )
    assert response.status_code == 302
    prescriber.refresh_from_db()
    assert prescriber.role == Role.FRONT_DESK
    event = AuditEvent.objects.get(action="accounts.user.change")
    assert event.detail["changes"]["role"] == [Role.PRESCRIBER, Role.FRONT_DESK]


# Step-up: the acting admin's own fresh code.


def test_changing_an_email_without_a_code_changes_nothing(clinic_admin, nurse):
    response = edit(signed_in(clinic_admin), nurse, email="new@example.test")
    assert response.status_code == 200
    assert STEP_UP_MISSING.encode() in response.content
    assert b'value="new@example.test"' in response.content  # what was typed is kept
    nurse.refresh_from_db()
    assert nurse.email == "nora_nurse@example.test"
    assert not AuditEvent.objects.filter(action="accounts.user.change").exists()


def test_a_wrong_code_changes_nothing_and_is_audited(clinic_admin, nurse):
    response = edit(signed_in(clinic_admin), nurse, email="new@example.test", code="000000")
    assert response.status_code == 200
    assert STEP_UP_WRONG.encode() in response.content
    nurse.refresh_from_db()
    assert nurse.email == "nora_nurse@example.test"
    failed = AuditEvent.objects.get(action="mfa.step_up_failed")
    assert (failed.actor_id, failed.outcome) == (clinic_admin.pk, "failure")


def test_the_code_of_the_account_being_changed_does_not_count(clinic_admin, nurse):
    response = edit(
        signed_in(clinic_admin), nurse, email="new@example.test", code=current_code(nurse)
    )
    assert STEP_UP_WRONG.encode() in response.content
    nurse.refresh_from_db()
    assert nurse.email == "nora_nurse@example.test"


def test_a_change_of_name_needs_no_code(clinic_admin, nurse):
    response = edit(signed_in(clinic_admin), nurse, last_name="Quinlan")
    assert response.status_code == 302
    nurse.refresh_from_db()
    assert nurse.last_name == "Quinlan"


def test_resetting_an_authenticator_or_sending_a_link_needs_a_code(clinic_admin, nurse, run_worker):
    client = signed_in(clinic_admin)
    for name in ("user_reset_mfa", "user_send_password_link"):
        url = reverse(f"accounts:{name}", args=[nurse.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"code": ""})
        assert response.status_code == 200
        assert b"please enter the current six-digit code" in response.content
    assert TOTPDevice.objects.filter(user=nurse).exists()
    run_worker()
    assert mail.outbox == []


def test_a_correct_code_covers_the_next_few_minutes_only(clinic_admin, nurse, settings):
    settings.STEP_UP_MINUTES = 5
    with time_machine.travel(NOON, tick=False) as clock:
        client = signed_in(clinic_admin)
        response = edit(client, nurse, email="one@example.test", code=current_code(clinic_admin))
        assert response.status_code == 302
        clock.shift(dt.timedelta(minutes=4))
        nurse.refresh_from_db()
        assert edit(client, nurse, email="two@example.test").status_code == 302
        clock.shift(dt.timedelta(minutes=2))
        nurse.refresh_from_db()
        response = edit(client, nurse, email="three@example.test")
        assert STEP_UP_MISSING.encode() in response.content
    nurse.refresh_from_db()
    assert nurse.email == "two@example.test"


def test_with_no_window_every_change_asks_for_a_code(clinic_admin, nurse, settings):
    settings.STEP_UP_MINUTES = 0
    client = signed_in(clinic_admin)
    response = edit(client, nurse, role=Role.FRONT_DESK, code=current_code(clinic_admin))
    assert response.status_code == 302
    nurse.refresh_from_db()
    assert nurse.role == Role.FRONT_DESK
    response = edit(client, nurse, email="again@example.test")
    assert STEP_UP_MISSING.encode() in response.content


# Announced to the old address, audited with old and new values.


def test_a_new_email_is_announced_to_the_old_address_and_audited(clinic_admin, nurse, run_worker):
    key = TOTPDevice.objects.get(user=clinic_admin).key
    code = current_code(clinic_admin)
    edit(signed_in(clinic_admin), nurse, email="nora.new@example.test", code=code)
    nurse.refresh_from_db()
    assert nurse.email == "nora.new@example.test"
    event = AuditEvent.objects.get(action="accounts.user.change")
    assert event.actor_id == clinic_admin.pk
    assert event.detail["changes"] == {
        "email": ["nora_nurse@example.test", "nora.new@example.test"]
    }
    trail = json.dumps(list(AuditEvent.objects.values("detail")))
    assert key not in trail
    assert code not in trail
    run_worker()
    assert [m.to for m in mail.outbox] == [["nora_nurse@example.test"]]
    message = mail.outbox[0]
    assert message.subject == "Your staff account was changed"
    assert "its e-mail address" in message.body
    assert "Adam Tester" in message.body


def test_an_authenticator_reset_is_announced_and_audited(clinic_admin, nurse, run_worker):
    url = reverse("accounts:user_reset_mfa", args=[nurse.pk])
    response = signed_in(clinic_admin).post(url, {"code": current_code(clinic_admin)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=nurse).exists()
    event = AuditEvent.objects.get(action="accounts.user.reset_mfa")
    assert event.detail == {"changes": {"authenticator": ["set up", "none"]}}
    run_worker()
    assert [m.to for m in mail.outbox] == [["nora_nurse@example.test"]]
    assert "its authenticator app" in mail.outbox[0].body


def test_a_password_link_goes_to_the_accounts_own_address(clinic_admin, nurse, run_worker):
    url = reverse("accounts:user_send_password_link", args=[nurse.pk])
    response = signed_in(clinic_admin).post(url, {"code": current_code(clinic_admin)})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="accounts.user.send_password_link").exists()
    run_worker()
    assert [m.to for m in mail.outbox] == [["nora_nurse@example.test"]]
    assert "/accounts/password-reset/" in mail.outbox[0].body


# Issue #11 point 9: a location the editing admin cannot see stays.


def test_editing_keeps_the_location_the_admin_does_not_run(clinic_admin, boston, hartford):
    both = make_user("bo_both", Role.NURSE, boston, hartford)
    response = edit(signed_in(clinic_admin), both, last_name="Both", locations=[boston.pk])
    assert response.status_code == 302
    assert both.locations.count() == 2
    event = AuditEvent.objects.get(action="accounts.user.change")
    assert "locations" not in event.detail["changes"]


def test_an_admin_may_take_their_location_away_and_the_other_stays(clinic_admin, boston, hartford):
    both = make_user("bo_both", Role.NURSE, boston, hartford)
    response = edit(signed_in(clinic_admin), both, locations=[])
    assert response.status_code == 302
    assert list(both.locations.all()) == [hartford]
    event = AuditEvent.objects.get(action="accounts.user.change")
    assert event.detail["changes"]["locations"] == [
        sorted([boston.pk, hartford.pk]),
        [hartford.pk],
    ]


def test_an_account_at_one_location_still_needs_a_location(clinic_admin, nurse):
    response = edit(signed_in(clinic_admin), nurse, locations=[])
    assert response.status_code == 200
    assert b"This field is required." in response.content
    assert nurse.locations.count() == 1
