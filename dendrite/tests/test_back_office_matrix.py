"""The back office, location by location: every list and record screen × the Boston admin,
the West Hartford admin and a superuser.

A clinic admin sees the rows of their own location and nothing of the other one (not
in a list, not on a record screen, not even in a filter); a superuser sees both. The
audit trail and the sign-in records are read-only for all three and nobody deletes
them. (The organisation is shared by both locations, so it is left out here.)
"""

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.urls import reverse
from django.utils import timezone

from dendrite.accounts.models import Role, User
from dendrite.audit.context import RequestContext, current
from dendrite.audit.log import record
from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Chair, Closure, Location
from dendrite.conftest import make_user, signed_in
from dendrite.scheduling.models import AppointmentType, SeriesProtocol, TimeOff, WorkingHours

pytestmark = pytest.mark.django_db

CHRISTMAS = dt.date(2026, 12, 25)


class Site(NamedTuple):
    location: Location
    staff: User
    patient: Any


def audit_entry(site: Site) -> AuditEvent:
    """A chart read at the site, by its own staff, from an address of its own."""
    token = current.set(RequestContext(ip_address=f"198.51.100.{site.location.pk % 250 + 1}"))
    try:
        return record("patients.patient.read", user=site.staff, patient_id=site.patient.pk)
    finally:
        current.reset(token)


def failed_sign_in(site: Site) -> AuditEvent:
    return record("auth.login_failed", username=site.staff.username, outcome="failure")


def sign_in_record(model: type) -> Callable[[Site], Any]:
    def make(site: Site) -> Any:
        fields = {"username": site.staff.username, "ip_address": "198.51.100.7"}
        fields |= {"user_agent": "Browser", "http_accept": "*/*", "path_info": "/"}
        if model is AccessAttempt:
            fields |= {"get_data": "", "post_data": "", "failures_since_start": 2}
        return model.objects.create(attempt_time=timezone.now(), **fields)

    return make


# Each back-office screen: its admin URL name and how to find or make a row at a site.
ROWS: dict[str, Callable[[Site], Any]] = {
    "clinics_location": lambda site: site.location,
    "clinics_chair": lambda site: Chair.objects.get(location=site.location),
    "clinics_closure": lambda site: Closure.objects.create(
        location=site.location, start_date=CHRISTMAS, end_date=CHRISTMAS, reason="Holiday"
    ),
    "accounts_user": lambda site: site.staff,
    "scheduling_appointmenttype": lambda site: AppointmentType.objects.filter(
        location=site.location
    ).first(),
    "scheduling_seriesprotocol": lambda site: SeriesProtocol.objects.get(location=site.location),
    "scheduling_workinghours": lambda site: WorkingHours.objects.create(
        staff=site.staff, location=site.location, weekday=0, starts=dt.time(8), ends=dt.time(16)
    ),
    "scheduling_timeoff": lambda site: TimeOff.objects.create(
        staff=site.staff, starts_at=timezone.now(), ends_at=timezone.now() + dt.timedelta(days=1)
    ),
    "audit_auditevent": audit_entry,
    "audit_auditevent ": failed_sign_in,  # the same list, a sign-in failure's entry
    "axes_accessattempt": sign_in_record(AccessAttempt),
    "axes_accesslog": sign_in_record(AccessLog),
    "axes_accessfailurelog": sign_in_record(AccessFailureLog),
}
READ_ONLY = {"audit_auditevent", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}


@pytest.fixture
def sites(boston, hartford, nurse, prescriber_hartford, alice, charlie) -> dict[str, Site]:
    return {
        "Boston": Site(boston, nurse, alice),
        "West Hartford": Site(hartford, prescriber_hartford, charlie),
    }


@pytest.fixture
def viewers(clinic_admin, hartford) -> dict[str, tuple[User, str | None]]:
    """Each viewer, with the location whose rows are theirs (None: every location)."""
    superuser = make_user("sue_superuser", Role.CLINIC_ADMIN)
    User.objects.filter(pk=superuser.pk).update(is_superuser=True, is_staff=True)
    superuser.refresh_from_db()
    hartford_admin = make_user("hal_admin", Role.CLINIC_ADMIN, hartford)
    return {
        "Boston admin": (clinic_admin, "Boston"),
        "West Hartford admin": (hartford_admin, "West Hartford"),
        "superuser": (superuser, None),
    }


def urls(screen: str, pk: int) -> tuple[str, str, str]:
    name = screen.strip()
    return (
        reverse(f"admin:{name}_changelist"),
        reverse(f"admin:{name}_change", args=[pk]),
        reverse(f"admin:{name}_delete", args=[pk]),
    )


@pytest.mark.parametrize("viewer", ["Boston admin", "West Hartford admin", "superuser"])
@pytest.mark.parametrize("screen", list(ROWS))
def test_each_back_office_page_shows_only_the_viewers_locations(sites, viewers, viewer, screen):
    user, own = viewers[viewer]
    rows = {name: ROWS[screen](site) for name, site in sites.items()}
    client = signed_in(user)
    for name, row in rows.items():
        changelist, change, delete = urls(screen, row.pk)
        listing = client.get(changelist)
        assert listing.status_code == 200
        visible = own is None or own == name
        assert (change.encode() in listing.content) is visible, (viewer, screen, name)
        if own is not None and own != name:
            assert name.encode() not in listing.content  # not even in a filter
        assert client.get(change).status_code == (200 if visible else 302)
        if screen.strip() in READ_ONLY:
            assert client.get(delete).status_code in (403, 302)
            assert b"delete_selected" not in listing.content


@pytest.mark.parametrize("viewer", ["Boston admin", "West Hartford admin", "superuser"])
@pytest.mark.parametrize("screen", sorted(READ_ONLY))
def test_the_audit_trail_and_sign_in_records_cannot_be_changed_or_deleted(
    sites, viewers, viewer, screen
):
    user, own = viewers[viewer]
    site = sites[own or "Boston"]
    row = ROWS[screen](site)
    model = type(row)
    client = signed_in(user)
    changelist, change, delete = urls(screen, row.pk)
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.post(change, {}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    client.post(changelist, bulk)
    assert model.objects.filter(pk=row.pk).exists()


def test_a_clinic_admin_does_not_read_entries_about_the_other_locations_patients(
    sites, viewers, prescriber_hartford
):
    # A West Hartford prescriber who also works at Boston reads a Boston chart: the
    # Boston admin sees it (their patient); entries about West Hartford's patients stay
    # out of Boston's view even though the actor now works at Boston too.
    prescriber_hartford.locations.add(sites["Boston"].location)
    boston = sites["Boston"].patient.pk
    boston_read = record("patients.patient.read", user=prescriber_hartford, patient_id=boston)
    hartford_read = audit_entry(sites["West Hartford"])
    admin = signed_in(viewers["Boston admin"][0])
    listing = admin.get(reverse("admin:audit_auditevent_changelist")).content
    change = "admin:audit_auditevent_change"
    assert reverse(change, args=[boston_read.pk]).encode() in listing
    assert reverse(change, args=[hartford_read.pk]).encode() not in listing
