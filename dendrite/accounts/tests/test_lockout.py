"""Nobody can lock the staff out: failed sign-ins lock a username at one address, and an
address after more failures, never a colleague signing in from elsewhere; and there is
always a way back (a password reset, an admin's Unlock, `manage.py unlock_user`)."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.checks import run_checks
from django.core.management import call_command
from django.urls import reverse

from dendrite.accounts.models import Role
from dendrite.audit.models import AuditEvent
from dendrite.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
CLINIC = "198.51.100.10"
HOME = "192.0.2.44"


def sign_in(client, username, password=PASSWORD, address=CLINIC, **headers):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def signed_in_with_password(response) -> bool:
    """The password step passed (on to the workspace, which asks for the second factor)."""
    return response.status_code == 302 and response.url == reverse("accounts:home")


def locked(response) -> bool:
    return response.status_code == 429 and b"locked for now" in response.content


@pytest.fixture
def everyone(cast, hartford):
    return [*cast.values(), make_user("hal_admin", Role.CLINIC_ADMIN, hartford)]


def test_forty_anonymous_guesses_lock_the_strangers_address_not_the_staff(client, everyone):
    # The reported attack: 40 wrong passwords in seconds, spread over every staff account.
    for number in range(40):
        user = everyone[number % len(everyone)]
        sign_in(client, user.username, f"guess-{number}", address=ATTACKER)
    # Each member of staff still signs in, from the clinic and from home...
    for user in everyone:
        assert signed_in_with_password(sign_in(client, user.username, address=CLINIC))
        client.logout()
        assert signed_in_with_password(sign_in(client, user.username, address=HOME))
        client.logout()
    # ...while the stranger's address is locked, even with a right password.
    assert locked(sign_in(client, everyone[0].username, address=ATTACKER))


def test_a_username_is_locked_at_the_address_it_failed_from_only(client, nurse, front_desk):
    for _ in range(5):
        sign_in(client, nurse.username, "typo", address=CLINIC)
    assert locked(sign_in(client, nurse.username, address=CLINIC))
    assert signed_in_with_password(sign_in(client, nurse.username, address=HOME))
    client.logout()
    # A colleague at the same front desk is not held up by one person's typos.
    assert signed_in_with_password(sign_in(client, front_desk.username, address=CLINIC))


def test_an_address_is_locked_for_every_username_after_the_address_limit(
    client, everyone, settings
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for user in everyone[:3]:  # one failure each: no single username is near its limit
        sign_in(client, user.username, "guess", address=ATTACKER)
    assert locked(sign_in(client, everyone[4].username, address=ATTACKER))
    # Made-up usernames count too.
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 5
    for number in range(3):
        sign_in(client, f"nobody{number}", "guess", address=HOME)
    assert signed_in_with_password(sign_in(client, everyone[0].username, address=HOME))
    client.logout()
    for number in range(2):
        sign_in(client, f"nobody{number}", "guess", address=HOME)
    assert locked(sign_in(client, everyone[1].username, address=HOME))


def test_a_made_up_forwarded_header_does_not_dodge_the_lock(client, nurse):
    for number in range(6):
        forged = {"HTTP_X_FORWARDED_FOR": f"10.1.1.{number}"}
        response = sign_in(client, nurse.username, "guess", address=ATTACKER, **forged)
    assert locked(response)


def test_behind_a_proxy_the_lock_falls_on_the_address_the_proxy_saw(client, nurse, settings):
    settings.PROXY_COUNT = 1
    proxy = "127.0.0.1"
    for _ in range(5):
        sign_in(client, nurse.username, "guess", address=proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert locked(sign_in(client, nurse.username, address=proxy, HTTP_X_FORWARDED_FOR=ATTACKER))
    # The proxy is not locked: the nurse, through the same proxy from the clinic, signs in.
    response = sign_in(client, nurse.username, address=proxy, HTTP_X_FORWARDED_FOR=CLINIC)
    assert signed_in_with_password(response)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def reset_password(client, user, run_worker, address) -> str:
    """Ask for a link, open it and choose a new password, all from `address`."""
    client.post(reverse("accounts:password_reset"), {"email": user.email}, REMOTE_ADDR=address)
    run_worker()
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[-1].body)
    form_page = client.get(link.group(1), follow=True, REMOTE_ADDR=address)
    new_password = "a-brand-new-password-99"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
        REMOTE_ADDR=address,
    )
    return new_password


def test_the_only_clinic_admin_locked_out_gets_back_in_with_a_password_reset(
    client, clinic_admin, run_worker, settings
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    # Their own typos lock them at the clinic, and a stranger at the same shared
    # address (the clinic's router) locks the address for everyone.
    for _ in range(5):
        sign_in(client, clinic_admin.username, "typo", address=CLINIC)
    for number in range(3):
        sign_in(client, f"nobody{number}", "guess", address=CLINIC)
    assert locked(sign_in(client, clinic_admin.username, address=CLINIC))
    new_password = reset_password(client, clinic_admin, run_worker, address=CLINIC)
    assert signed_in_with_password(sign_in(client, clinic_admin.username, new_password))
    assert AuditEvent.objects.filter(action="auth.password_reset").exists()


def test_the_server_operator_unlocks_an_account_and_an_address(client, clinic_admin, capsys):
    for _ in range(5):
        sign_in(client, clinic_admin.username, "typo", address=CLINIC)
    assert locked(sign_in(client, clinic_admin.username, address=CLINIC))
    call_command("unlock_user", clinic_admin.username, "--address", CLINIC)
    assert "Unlocked" in capsys.readouterr().out
    assert signed_in_with_password(sign_in(client, clinic_admin.username, address=CLINIC))
    unlocked = AuditEvent.objects.get(action="auth.unlocked")
    assert unlocked.object_id == str(clinic_admin.pk)
    assert unlocked.detail["address_unlocked"] is True


def test_the_unlock_command_refuses_an_unknown_username(clinic_admin):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="no account"):
        call_command("unlock_user", "nobody-here")
    with pytest.raises(CommandError, match="Name a username"):
        call_command("unlock_user")


def test_the_axes_warning_about_lockout_parameters_is_not_silenced_and_not_raised(settings):
    assert "axes.W006" not in settings.SILENCED_SYSTEM_CHECKS
    assert not [message for message in run_checks() if message.id == "axes.W006"]
