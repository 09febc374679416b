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

from dendrite.accounts.models import Role, User
from dendrite.alerts.models import SafetyAlert
from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Location
from dendrite.conftest import make_user, signed_in
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
    "own location": lambda own, other: reverse("clinics:location_detail", args=[own.location.pk]),
    "other location": lambda own, other: reverse(
        "clinics:location_detail", args=[other.location.pk]
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
}

# fmt: off
EXPECTED = {
    #                      home    codes   own     other   staff   new     own     other   back    leads   alerts  own     other   own     other
    #                                      loc.    loc.    list    staff   staff   staff   office                  lead    lead    alert   alert
    "anonymous":           (LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN,  LOGIN),
    "nurse without code":  (MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA),
    "admin without code":  (MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA,    MFA),
    "front_desk":          (OK,     OK,     OK,     HIDDEN, NO,     NO,     NO,     NO,     NO,     OK,     NO,     OK,     HIDDEN, NO,     NO),
    "nurse":               (OK,     OK,     OK,     HIDDEN, NO,     NO,     NO,     NO,     NO,     OK,     OK,     OK,     HIDDEN, OK,     HIDDEN),
    "prescriber":          (OK,     OK,     OK,     HIDDEN, NO,     NO,     NO,     NO,     NO,     OK,     OK,     OK,     HIDDEN, OK,     HIDDEN),
    "prescriber_hartford": (OK,     OK,     OK,     HIDDEN, NO,     NO,     NO,     NO,     NO,     OK,     OK,     OK,     HIDDEN, OK,     HIDDEN),
    "clinic_admin":        (OK,     OK,     OK,     HIDDEN, OK,     OK,     OK,     HIDDEN, OK,     NO,     NO,     NO,     NO,     NO,     NO),
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
}

CASES = [
    pytest.param(actor, screen, expected, id=f"{actor}-{screen}")
    for actor, row in EXPECTED.items()
    for screen, expected in zip(SCREENS, row, strict=True)
]


@pytest.fixture
def sites(boston: Location, hartford: Location) -> dict[int, Site]:
    def site(location: Location, username: str) -> Site:
        lead = create_lead(
            source=Source.SCREENING, location=location, name="Matrix Person",
            phone="+16175550100", consent_to_contact=True,
            triage_outcome=Outcome.URGENT_SAFETY, flags=["suicide-risk"],
        )  # fmt: skip
        colleague = make_user(username, Role.FRONT_DESK, location)
        return Site(location, colleague, lead, SafetyAlert.objects.get(lead=lead))

    return {boston.pk: site(boston, "bea_boston"), hartford.pk: site(hartford, "hal_hartford")}


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
    response = signed_in(nurse).get(reverse("clinics:location_detail", args=[hartford.pk]))
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="clinics.location.read")
    assert event.outcome == AuditEvent.Outcome.DENIED
    assert event.actor_id == nurse.pk
    assert event.object_id == str(hartford.pk)


def test_opening_ones_own_location_page_is_audited_as_success(nurse: User, boston: Location):
    response = signed_in(nurse).get(reverse("clinics:location_detail", args=[boston.pk]))
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
