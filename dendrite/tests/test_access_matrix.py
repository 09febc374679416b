# ruff: noqa: E501 (the expectations table reads best as one row per person)
"""Who may open which staff screen: every screen × every role × own and other location.

Read a row of EXPECTED as "this person, opening each screen, gets …". Everyone in the
cast works at Boston except prescriber_hartford, who works at West Hartford; "own"
and "other" are relative to the person asking.
"""

from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from dendrite.accounts.models import Role, RoleRequest, User
from dendrite.alerts.models import SafetyAlert
from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Location
from dendrite.conftest import current_code, make_user, signed_in
from dendrite.leads.actions import create_lead
from dendrite.leads.models import Lead, Outcome, Source

pytestmark = pytest.mark.django_db

OK = 200
NO = 403  # the role may never open this screen
HIDDEN = 404  # another location's record: indistinguishable from one that does not exist
LOGIN = "to sign-in"
MFA = "to second factor"


class Site(NamedTuple):
    location: Location
    colleague: User  # a member of staff who works there, for the user edit screen
    lead: Lead  # a flagged self-screening there, which also raised a safety alert
    alert: SafetyAlert


SCREENS: dict[str, Callable[[Site, Site], str]] = {
    "home": lambda own, other: reverse("accounts:home"),
    "recovery codes": lambda own, other: reverse("accounts:recovery_codes"),
    "own location": lambda own, other: reverse("accounts:location_detail", args=[own.location.pk]),
    "other location": lambda own, other: reverse(
        "accounts:location_detail", args=[other.location.pk]
    ),
    "staff list": lambda own, other: reverse("accounts:user_list"),
    "new staff": lambda own, other: reverse("accounts:user_create"),
    "own staff": lambda own, other: reverse("accounts:user_edit", args=[own.colleague.pk]),
    "other staff": lambda own, other: reverse("accounts:user_edit", args=[other.colleague.pk]),
    "back office": lambda own, other: reverse("admin:index"),
    "leads": lambda own, other: reverse("leads:inbox"),
    "alerts": lambda own, other: reverse("alerts:list"),
    "own lead": lambda own, other: reverse("leads:detail", args=[own.lead.pk]),
    "other lead": lambda own, other: reverse("leads:detail", args=[other.lead.pk]),
    "own alert": lambda own, other: reverse("alerts:detail", args=[own.alert.pk]),
    "other alert": lambda own, other: reverse("alerts:detail", args=[other.alert.pk]),
    "schedule": lambda own, other: reverse("scheduling:day", args=[own.location.pk, "2026-12-07"]),
    "other schedule": lambda own, other: reverse(
        "scheduling:day", args=[other.location.pk, "2026-12-07"]
    ),
    "waitlist": lambda own, other: reverse("scheduling:waitlist"),
    "dashboard": lambda own, other: reverse("dashboard:dashboard"),
}

# fmt: off
EXPECTED = {
    #                      home    codes   own     other   staff   new     own     other   back    leads   alerts  own     other   own     other   sched-  other   wait-   dash-
    #                                      loc.    loc.    list    staff   staff   staff   office                  lead    lead    alert   alert   ule     sched.  list    board
    "anonymous":           (LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN),
    "nurse without code":  (MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA),
    "admin without code":  (MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA),
    "front_desk":          (OK,     OK,     OK,     HIDDEN, NO,     NO,     NO,     NO,     NO,     OK,     NO,     OK,     HIDDEN, NO,     NO,     OK,     HIDDEN, OK,     NO),
    "nurse":               (OK,     OK,     OK,     HIDDEN, NO,     NO,     NO,     NO,     NO,     OK,     OK,     OK,     HIDDEN, OK,     HIDDEN, OK,     HIDDEN, OK,     NO),
    "prescriber":          (OK,     OK,     OK,     HIDDEN, NO,     NO,     NO,     NO,     NO,     OK,     OK,     OK,     HIDDEN, OK,     HIDDEN, OK,     HIDDEN, OK,     OK),
    "prescriber_hartford": (OK,     OK,     OK,     HIDDEN, NO,     NO,     NO,     NO,     NO,     OK,     OK,     OK,     HIDDEN, OK,     HIDDEN, OK,     HIDDEN, OK,     OK),
    # Clinic admins run the clinic: the inbox (no answers), the list of open alerts (not
    # an alert itself, which is for clinicians), the schedule, the waitlist and the
    # clinic dashboard (prescribers too: docs/dashboard.md).
    "clinic_admin":        (OK,     OK,     OK,     HIDDEN, OK,     OK,     OK,     HIDDEN, OK,     OK,     OK,     OK,     HIDDEN, NO,     NO,     OK,     HIDDEN, OK,     OK),
    "superuser":           (OK,     OK,     OK,     HIDDEN, OK,     OK,     OK,     HIDDEN, OK,     OK,     OK,     OK,     HIDDEN, NO,     NO,     OK,     HIDDEN, OK,     OK),
}
# fmt: on

# Who each row is: (cast fixture, signed in with the second factor too?)
ACTORS = {
    "anonymous": (None, False),
    "nurse without code": ("nurse", False),
    "admin without code": ("clinic_admin", False),
    "front_desk": ("front_desk", True),
    "nurse": ("nurse", True),
    "prescriber": ("prescriber", True),
    "prescriber_hartford": ("prescriber_hartford", True),
    "clinic_admin": ("clinic_admin", True),
    "superuser": ("superuser", True),
}

CASES = [
    pytest.param(actor, screen, expected, id=f"{actor}-{screen}")
    for actor, row in EXPECTED.items()
    for screen, expected in zip(SCREENS, row, strict=True)
]


@pytest.fixture
def superuser(boston: Location) -> User:
    """A superuser who works at Boston (a clinic admin by role, as installations start)."""
    user = make_user("ursula_super", Role.CLINIC_ADMIN, boston)
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture
def sites(boston: Location, hartford: Location) -> dict[int, Site]:
    def site(location: Location, username: str, phone: str) -> Site:
        lead = create_lead(  # two people (one phone would make them one person's leads)
            source=Source.SCREENING, location=location, name="Matrix Person",
            phone=phone, consent_to_contact=True,
            triage_outcome=Outcome.URGENT_SAFETY, flags=["suicide-risk"],
        )  # fmt: skip
        colleague = make_user(username, Role.FRONT_DESK, location)
        return Site(location, colleague, lead, SafetyAlert.objects.get(lead=lead))

    return {
        boston.pk: site(boston, "bea_boston", "+16175550100"),
        hartford.pk: site(hartford, "hal_hartford", "+18605550100"),
    }


def client_for(actor: str, request: pytest.FixtureRequest) -> tuple[Client, User | None]:
    fixture, verified = ACTORS[actor]
    if fixture is None:
        return Client(), None
    user = request.getfixturevalue(fixture)
    if verified:
        return signed_in(user), user
    client = Client()
    client.force_login(user)  # password only: no second factor yet
    return client, user


def outcome(client: Client, url: str) -> int | str:
    """The status code, or where a redirect sends the person (checking it returns here)."""
    response = client.get(url)
    if response.status_code == 302 and response.url.startswith(reverse("admin:login")):
        # The back office sends people through its login page to the product's own.
        response = client.get(response.url)
    if response.status_code != 302:
        return response.status_code
    target = response.url
    assert parse_qs(urlsplit(target).query)["next"] == [url]
    if target.startswith(reverse("accounts:login")):
        return LOGIN
    if target.startswith(reverse("accounts:mfa")):
        return MFA
    return target


@pytest.mark.parametrize(("actor", "screen", "expected"), CASES)
def test_each_person_reaches_exactly_the_screens_the_table_allows(
    actor: str,
    screen: str,
    expected: int | str,
    sites: dict[int, Site],
    boston: Location,
    hartford: Location,
    request: pytest.FixtureRequest,
) -> None:
    client, user = client_for(actor, request)
    home = hartford if user is not None and user.works_at(hartford.pk) else boston
    away = boston if home == hartford else hartford
    url = SCREENS[screen](sites[home.pk], sites[away.pk])
    assert outcome(client, url) == expected


def test_opening_another_locations_page_is_audited_as_denied(nurse: User, hartford: Location):
    response = signed_in(nurse).get(reverse("accounts:location_detail", args=[hartford.pk]))
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="clinics.location.read")
    assert event.outcome == AuditEvent.Outcome.DENIED
    assert event.actor_id == nurse.pk
    assert event.object_id == str(hartford.pk)


def test_opening_ones_own_location_page_is_audited_as_success(nurse: User, boston: Location):
    response = signed_in(nurse).get(reverse("accounts:location_detail", args=[boston.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="clinics.location.read")
    assert event.outcome == AuditEvent.Outcome.SUCCESS
    assert event.actor_id == nurse.pk
    assert event.object_id == str(boston.pk)


def test_opening_another_locations_staff_member_is_audited_as_denied(
    clinic_admin: User, sites: dict[int, Site], hartford: Location
):
    stranger = sites[hartford.pk].colleague
    response = signed_in(clinic_admin).get(reverse("accounts:user_edit", args=[stranger.pk]))
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="accounts.user.read")
    assert event.outcome == AuditEvent.Outcome.DENIED
    assert event.actor_id == clinic_admin.pk
    assert event.object_id == str(stranger.pk)


# Staff-accounts actions: who may change whose account.
#
# A clinic admin changes only accounts below their own rights at their own locations:
# front desk, nurses and prescribers — never another clinic admin, a superuser, or
# themselves. A superuser changes every account at their locations except their own.
# Every other answer leaves the account as it was; a refused write is indistinguishable
# from a missing account (404). Each cell is one POST, checked by its effect.

DONE = "changed"


class Targets(NamedTuple):
    own_colleague: User  # front desk at the actor's own location
    other_colleague: User  # front desk at the other location
    admin_peer: User  # another clinic admin at Boston
    superuser: User  # a superuser at Boston who is not the actor


TARGETS = ("own colleague", "other colleague", "admin peer", "superuser", "self")

# fmt: off
WRITES = {
    #                      own      other    admin    super-   self
    #                      colleague colleague peer   user
    "anonymous":           (LOGIN,  LOGIN,   LOGIN,   LOGIN,   LOGIN),
    "nurse without code":  (MFA,    MFA,     MFA,     MFA,     MFA),
    "admin without code":  (MFA,    MFA,     MFA,     MFA,     MFA),
    "front_desk":          (NO,     NO,      NO,      NO,      NO),
    "nurse":               (NO,     NO,      NO,      NO,      NO),
    "prescriber":          (NO,     NO,      NO,      NO,      NO),
    "prescriber_hartford": (NO,     NO,      NO,      NO,      NO),
    "clinic_admin":        (DONE,   HIDDEN,  HIDDEN,  HIDDEN,  HIDDEN),
    "superuser":           (DONE,   HIDDEN,  DONE,    DONE,    HIDDEN),
}
# fmt: on


class Write(NamedTuple):
    url: Callable[[User], str]  # given the target (after prepare)
    data: Callable[[User, str], dict]  # given the target and the actor's current code
    prepare: Callable[[User], None]
    done: Callable[[User], bool]  # did the change happen?


def open_request(target: User) -> RoleRequest:
    return RoleRequest.objects.open().get(user=target)


def ask_second_admin(target: User) -> None:
    """An open role change for the target, asked by someone who is not the actor."""
    asker = User.objects.get(
        username="sue_super" if target.username == "alma_admin" else "alma_admin"
    )
    role = Role.NURSE if target.role != Role.NURSE else Role.PRESCRIBER
    RoleRequest.objects.create(
        user=target, role=role, requested_by=asker, requested_at=timezone.now()
    )


def role_approved(target: User) -> bool:
    approved = RoleRequest.objects.filter(user=target, approved=True).first()
    return approved is not None and fresh(target).role == approved.role


def audited(action: str) -> Callable[[User], bool]:
    return lambda target: AuditEvent.objects.filter(
        action=f"accounts.user.{action}", object_id=str(target.pk), outcome="success"
    ).exists()


def fresh(target: User) -> User:
    return User.objects.get(pk=target.pk)


def nothing(target: User) -> None:
    return None


def switch_off(target: User) -> None:
    User.objects.filter(pk=target.pk).update(is_active=False)


def edit_data(target: User, code: str) -> dict:
    return {
        "username": target.username,
        "first_name": target.first_name,
        "last_name": target.last_name,
        "email": "changed@example.test",
        "role": target.role,
        "locations": [location.pk for location in target.locations.all()],
        "code": code,
    }


def user_url(name: str) -> Callable[[User], str]:
    return lambda target: reverse(f"accounts:{name}", args=[target.pk])


def request_url(name: str) -> Callable[[User], str]:
    return lambda target: reverse(f"accounts:{name}", args=[open_request(target).pk])


WRITE_ACTIONS = {
    "edit e-mail": Write(user_url("user_edit"), edit_data, nothing, lambda t: fresh(t).email == "changed@example.test"),
    "switch off": Write(user_url("user_deactivate"), lambda t, c: {}, nothing, lambda t: not fresh(t).is_active),
    "switch on": Write(user_url("user_activate"), lambda t, c: {}, switch_off, lambda t: fresh(t).is_active),
    "unlock": Write(user_url("user_unlock"), lambda t, c: {}, nothing, audited("unlock")),
    "reset authenticator": Write(user_url("user_reset_mfa"), lambda t, c: {"code": c}, nothing, lambda t: not TOTPDevice.objects.filter(user=t).exists()),
    "password link": Write(user_url("user_send_password_link"), lambda t, c: {"code": c}, nothing, audited("send_password_link")),
    "approve role": Write(request_url("role_request_approve"), lambda t, c: {"code": c}, ask_second_admin, role_approved),
    "decline role": Write(request_url("role_request_decline"), lambda t, c: {}, ask_second_admin, lambda t: RoleRequest.objects.filter(user=t, approved=False).exists()),
}  # fmt: skip

WRITE_CASES = [
    pytest.param(actor, action, target, expected, id=f"{actor}-{action}-{target}")
    for actor, row in WRITES.items()
    for action in WRITE_ACTIONS
    for target, expected in zip(TARGETS, row, strict=True)
    # Left out: anonymous has no account, and a switched-off account cannot be signed in.
    if target != "self" or (actor != "anonymous" and action != "switch on")
]


@pytest.fixture
def targets(boston: Location, hartford: Location, superuser: User) -> dict[int, Targets]:
    peer = make_user("alma_admin", Role.CLINIC_ADMIN, boston)
    sue = make_user("sue_super", Role.CLINIC_ADMIN, boston)
    User.objects.filter(pk=sue.pk).update(is_superuser=True, is_staff=True)
    sue.refresh_from_db()
    bea = make_user("bea_boston", Role.FRONT_DESK, boston)
    hal = make_user("hal_hartford", Role.FRONT_DESK, hartford)
    return {boston.pk: Targets(bea, hal, peer, sue), hartford.pk: Targets(hal, bea, peer, sue)}


def write_outcome(client: Client, url: str, data: dict, happened: Callable[[], bool]) -> int | str:
    """DONE if the change happened (and the page says so); else the answer given."""
    response = client.post(url, data)
    changed = happened()
    if response.status_code == 302 and response.url == reverse("accounts:user_list"):
        return DONE if changed else "sent back to the list, but nothing changed"
    if changed:
        return f"changed, although the answer was {response.status_code}"
    if response.status_code != 302:
        return response.status_code
    assert parse_qs(urlsplit(response.url).query)["next"] == [url]
    return LOGIN if response.url.startswith(reverse("accounts:login")) else MFA


@pytest.mark.parametrize(("actor", "action", "target", "expected"), WRITE_CASES)
def test_each_person_changes_exactly_the_accounts_the_table_allows(
    actor: str,
    action: str,
    target: str,
    expected: int | str,
    targets: dict[int, Targets],
    boston: Location,
    hartford: Location,
    request: pytest.FixtureRequest,
) -> None:
    client, user = client_for(actor, request)
    home = hartford if user is not None and user.works_at(hartford.pk) else boston
    cast = targets[home.pk]
    subject = user if target == "self" else cast[TARGETS.index(target)]
    assert subject is not None
    write = WRITE_ACTIONS[action]
    write.prepare(subject)
    subject = fresh(subject)
    code = current_code(user) if user is not None else ""
    outcome = write_outcome(
        client, write.url(subject), write.data(subject, code), lambda: write.done(subject)
    )
    assert outcome == expected


def test_the_staff_403_page_uses_the_staff_layout_and_names_who_grants_access(
    front_desk: User, clinic_admin: User, sites: dict[int, Site]
) -> None:
    response = signed_in(front_desk).get(reverse("accounts:user_list"))
    assert response.status_code == 403
    page = response.content.decode()
    assert 'class="staff"' in page or "staff" in response.templates[0].name
    assert response.templates[0].name == "403_staff.html"
    assert str(clinic_admin) in page  # the clinic admin of Boston, by name
    assert "bea_boston" not in page and "Hal" not in page
