"""Writes to staff accounts.

Each runs in one transaction, writes its audit entry with the old and new values (never
a password or a second-factor secret), and queues its e-mails with the transaction.
A change that could hand an account to someone else — its e-mail address, its role, its
authenticator — is announced to the address the account had before, so its owner hears
of it even if the new address is an intruder's. The views check who may change whom
(access.get_managed_user_for) and the acting admin's fresh code (forms.check_step_up);
the actions check the rules again, so no other caller can skip them.
"""

import secrets
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from dendrite.audit.log import record
from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Location
from dendrite.mail import send_later

from . import lockout, mfa
from .access import may_manage, roles_granted_by
from .forms import QueuedPasswordResetForm
from .models import CLINICAL_ROLES, Role, RoleRequest, User

# The account fields whose old and new values the audit trail keeps.
AUDITED_FIELDS = ("username", "first_name", "last_name", "email", "mobile_phone", "role")
# What the announcement to the old address calls each change.
ANNOUNCED = {
    "email": "its e-mail address",
    "role": "its role",
    "authenticator": "its authenticator app (a new one is set up at the next sign-in)",
}


class Refused(PermissionDenied):
    """Not allowed; the message says why, in a sentence for the person who tried."""


def refuse_unless_manages(by: User, user: User) -> None:
    if by.pk == user.pk:
        raise Refused("You cannot change your own account here; please ask another clinic admin.")
    if not (may_manage(by, user) and by.location_ids & user.location_ids):
        raise Refused("You cannot change this account.")


def needs_second_admin(role: str, by: User) -> bool:
    """Clinical roles read charts: a clinic admin asks, a second one approves."""
    return role in CLINICAL_ROLES and not by.is_superuser


def announce(address: str, changes: Iterable[str], by: User) -> None:
    """Tell the account's (old) address what changed. Nothing personal in the subject."""
    what = [ANNOUNCED[change] for change in changes if change in ANNOUNCED]
    if not (address and what):
        return
    context = {"by": by, "what": what, "site_name": settings.DENDRITE_SITE_NAME}
    body = render_to_string("accounts/email/account_changed.txt", context)
    send_later("Your staff account was changed", body, [address])


def queue_password_link(user: User, *, welcome: bool = False) -> None:
    """A set-your-password link, through the same queued, retried path as resets."""
    form = QueuedPasswordResetForm({"email": user.email})
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    templates = "welcome" if welcome else "password_reset"
    form.save(
        domain_override=site.netloc,
        use_https=site.scheme == "https",
        subject_template_name=f"accounts/email/{templates}_subject.txt",
        email_template_name=f"accounts/email/{templates}.txt",
        extra_email_context={"site_name": settings.DENDRITE_SITE_NAME},
    )


def ask_for_role(user: User, role: str, *, by: User) -> RoleRequest:
    """Open a role change for a second admin; it replaces any open one for the account."""
    close_role_requests(user, by=by)
    return RoleRequest.objects.create(
        user=user, role=role, requested_by=by, requested_at=timezone.now()
    )


def close_role_requests(user: User, *, by: User) -> None:
    RoleRequest.objects.open().filter(user=user).update(
        decided_by=by, decided_at=timezone.now(), approved=False
    )


@transaction.atomic
def create_user(user: User, locations: Iterable[Location], *, by: User) -> RoleRequest | None:
    """Store a new account (filled in by the form) and e-mail its set-your-password link.

    A clinical role asked for by a clinic admin waits for a second admin: until then
    the account works as front desk.
    """
    if user.role not in roles_granted_by(by):
        raise Refused("You cannot give that role.")
    wanted = user.role
    pending = needs_second_admin(wanted, by)
    if pending:
        user.role = Role.FRONT_DESK
    # A random password nobody knows; the welcome e-mail lets them choose theirs.
    user.set_password(secrets.token_urlsafe(32))
    user.save()
    user.locations.set([location.pk for location in locations if by.works_at(location.pk)])
    detail = {"role": user.role, "locations": sorted(user.locations.values_list("pk", flat=True))}
    role_request = ask_for_role(user, wanted, by=by) if pending else None
    if role_request:
        detail["role_requested"] = wanted
    record("accounts.user.create", user=by, obj=user, detail=detail)
    queue_password_link(user, welcome=True)
    return role_request


@transaction.atomic
def change_user(user: User, locations: Iterable[Location], *, by: User) -> RoleRequest | None:
    """Save an account as the form filled it in, within what `by` may change.

    The locations `by` does not work at are kept. A clinical role asked for by a clinic
    admin is not applied but waits for a second admin (returned). The old e-mail
    address hears of a changed address or role.
    """
    before = User.objects.select_for_update().get(pk=user.pk)
    refuse_unless_manages(by, before)
    if user.role not in roles_granted_by(by):
        raise Refused("You cannot give that role.")
    role_request = None
    if user.role != before.role:
        if needs_second_admin(user.role, by):
            role_request = ask_for_role(before, user.role, by=by)
            user.role = before.role
        else:
            close_role_requests(before, by=by)
    user.save()
    unseen = before.location_ids - by.location_ids
    new_locations = {location.pk for location in locations if by.works_at(location.pk)} | unseen
    user.locations.set(new_locations)
    changes = {
        field: [getattr(before, field), getattr(user, field)]
        for field in AUDITED_FIELDS
        if getattr(before, field) != getattr(user, field)
    }
    if new_locations != before.location_ids:
        changes["locations"] = [sorted(before.location_ids), sorted(new_locations)]
    detail: dict[str, Any] = {"changes": changes}
    if role_request:
        detail["role_requested"] = role_request.role
    record("accounts.user.change", user=by, obj=user, detail=detail)
    announce(before.email, changes, by)
    return role_request


@transaction.atomic
def approve_role_request(role_request: RoleRequest, *, by: User) -> User:
    """A second admin (or a superuser) puts a requested role in force."""
    role_request = RoleRequest.objects.select_for_update().get(pk=role_request.pk)
    if role_request.decided_at is not None:
        raise Refused("Someone has already decided on this change.")
    if role_request.requested_by_id == by.pk:
        raise Refused("Another clinic admin must approve a change you asked for.")
    user = User.objects.select_for_update().get(pk=role_request.user_id)
    refuse_unless_manages(by, user)
    old_role = user.role
    user.role = role_request.role
    user.save(update_fields=["role"])
    role_request.decided_by, role_request.decided_at = by, timezone.now()
    role_request.approved = True
    role_request.save(update_fields=["decided_by", "decided_at", "approved"])
    record(
        "accounts.user.role_approve",
        user=by,
        obj=user,
        detail={
            "changes": {"role": [old_role, user.role]},
            "requested_by": role_request.requested_by_id,
            "role_request": role_request.pk,
        },
    )
    announce(user.email, ["role"], by)
    return user


@transaction.atomic
def decline_role_request(role_request: RoleRequest, *, by: User) -> None:
    """Any admin who manages the account may decline (or withdraw) an open role change."""
    role_request = RoleRequest.objects.select_for_update().get(pk=role_request.pk)
    if role_request.decided_at is not None:
        return
    refuse_unless_manages(by, role_request.user)
    role_request.decided_by, role_request.decided_at = by, timezone.now()
    role_request.approved = False
    role_request.save(update_fields=["decided_by", "decided_at", "approved"])
    record(
        "accounts.user.role_decline",
        user=by,
        obj=role_request.user,
        detail={
            "role_requested": role_request.role,
            "requested_by": role_request.requested_by_id,
            "role_request": role_request.pk,
        },
    )


@transaction.atomic
def switch_off_user(user: User, *, by: User) -> None:
    refuse_unless_manages(by, user)
    set_active(user, False, by=by)


@transaction.atomic
def switch_on_user(user: User, *, by: User) -> None:
    refuse_unless_manages(by, user)
    set_active(user, True, by=by)


def set_active(user: User, active: bool, *, by: User) -> None:
    was = user.is_active
    user.is_active = active
    user.save(update_fields=["is_active"])
    action = "activate" if active else "deactivate"
    record(f"accounts.user.{action}", user=by, obj=user, detail={"is_active": [was, active]})


@transaction.atomic
def unlock_user(user: User, *, by: User) -> None:
    refuse_unless_manages(by, user)
    axes_reset(username=user.username)
    record("accounts.user.unlock", user=by, obj=user)


@transaction.atomic
def reset_authenticator(user: User, *, by: User) -> None:
    """Remove the account's second factors; its owner enrols again at the next sign-in."""
    refuse_unless_manages(by, user)
    had = mfa.confirmed_totp(user) is not None
    mfa.reset_mfa(user)
    record(
        "accounts.user.reset_mfa",
        user=by,
        obj=user,
        detail={"changes": {"authenticator": ["set up" if had else "none", "none"]}},
    )
    announce(user.email, ["authenticator"], by)


@transaction.atomic
def send_password_link(user: User, *, by: User) -> None:
    """E-mail the account's own address a link to choose a new password."""
    refuse_unless_manages(by, user)
    record("accounts.user.send_password_link", user=by, obj=user)
    queue_password_link(user)


# The owner's own second factor (the sign-in pages), and the server operator's way back


@transaction.atomic
def confirm_authenticator(device: TOTPDevice) -> list[str]:
    """Its owner typed a right code from the new authenticator app: it counts from now
    on, with fresh recovery codes, returned to be shown once."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = mfa.new_recovery_codes(device.user)
    record("mfa.enrolled", user=device.user, obj=device.user)
    return codes


@transaction.atomic
def renew_recovery_codes(user: User) -> list[str]:
    """Replace the user's own recovery codes; the new ones are returned, shown once."""
    codes = mfa.new_recovery_codes(user)
    record("mfa.recovery_codes_renewed", user=user, obj=user)
    return codes


@transaction.atomic
def unlock_from_server(user: User | None, *, username: str = "", address: str = "") -> int:
    """manage.py unlock_user: a username (at every address), an address (for every
    account) or both; how many failed-sign-in records were cleared."""
    count = lockout.unlock(username=username, address=address)
    record(
        "auth.unlocked",
        username="manage.py",
        obj=user,
        outcome=AuditEvent.Outcome.SUCCESS,
        detail={"address_unlocked": bool(address), "records": count},
    )
    return count
