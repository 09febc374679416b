"""Calendar feeds: the token URL, what a feed shows, and "My calendar feeds".

Who may have which feed: location and chair feeds, anyone working at the location;
a staff feed, the person themself or a clinic admin of the location. Patients'
initials only in feeds of people who may see the schedule (not clinic admins).
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from dendrite.audit.models import AuditEvent
from dendrite.conftest import make_patient, query_count, signed_in
from dendrite.scheduling.actions.feeds import create_feed, revoke_feed
from dendrite.scheduling.models import CalendarFeed, FeedKind, Kind, Status, feed_token_digest
from dendrite.scheduling.tests.conftest import local, make_appointment

pytestmark = pytest.mark.django_db


def url(token: str) -> str:
    return reverse("scheduling:feed", args=[token])


def summaries(response) -> list[str]:
    return [str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]


@pytest.fixture
def day(boston) -> dt.date:
    # Within the window, whatever the wall clock says.
    today = boston.local_now().date()
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


def test_a_location_feed_shows_holding_appointments_with_initials(
    boston, alice, bob, nurse, prescriber, day
):
    make_appointment(alice, Kind.INFUSION, local(boston, day, 9), nurse)
    make_appointment(bob, Kind.CONSULTATION, local(boston, day, 9), prescriber)
    make_appointment(
        bob, Kind.FOLLOW_UP, local(boston, day, 14), prescriber, status=Status.CANCELLED
    )
    feed, token = create_feed(nurse, FeedKind.LOCATION, boston)
    response = Client().get(url(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"].startswith("private")
    assert sorted(summaries(response)) == ["Consultation — B.H.", "Infusion — A.L."]
    assert b"Lovelace" not in response.content and b"Hopper" not in response.content
    feed.refresh_from_db()
    assert feed.last_used_at is not None
    event = AuditEvent.objects.get(action="scheduling.calendarfeed.fetch")
    assert event.actor_id == nurse.pk and len(event.detail["ids"]) == 2


def test_a_chair_feed_and_a_staff_feed_show_only_their_resource(
    boston, alice, bob, nurse, prescriber, day
):
    make_appointment(alice, Kind.INFUSION, local(boston, day, 9), nurse)
    make_appointment(bob, Kind.CONSULTATION, local(boston, day, 9), prescriber)
    _, chair_token = create_feed(nurse, FeedKind.CHAIR, boston, chair=boston.chairs.get())
    _, staff_token = create_feed(prescriber, FeedKind.STAFF, boston, staff=prescriber)
    assert summaries(Client().get(url(chair_token))) == ["Infusion — A.L."]
    assert summaries(Client().get(url(staff_token))) == ["Consultation — B.H."]


def test_a_clinic_admins_feed_shows_no_initials(boston, alice, nurse, clinic_admin, day):
    make_appointment(alice, Kind.INFUSION, local(boston, day, 9), nurse)
    _, token = create_feed(clinic_admin, FeedKind.STAFF, boston, staff=nurse)
    assert summaries(Client().get(url(token))) == ["Infusion"]


def test_unknown_revoked_and_dead_feeds_all_get_the_same_404(boston, nurse, front_desk):
    revoked, revoked_token = create_feed(nurse, FeedKind.LOCATION, boston)
    revoke_feed(revoked, by=nurse)
    _, moved_token = create_feed(front_desk, FeedKind.LOCATION, boston)
    front_desk.locations.clear()
    _, gone_token = create_feed(nurse, FeedKind.LOCATION, boston)
    nurse.is_active = False
    nurse.save()
    responses = [
        Client().get(url(token)) for token in ("x" * 43, revoked_token, moved_token, gone_token)
    ]
    assert {r.status_code for r in responses} == {404}
    assert len({r.content for r in responses}) == 1


def test_only_the_digest_of_the_token_is_stored(boston, nurse):
    feed, token = create_feed(nurse, FeedKind.LOCATION, boston)
    assert feed.token_digest == feed_token_digest(token) != token
    assert feed.token_hint == token[-4:]


def test_the_feed_makes_the_same_queries_for_few_and_many_appointments(
    boston, alice, bob, nurse, day
):
    _, token = create_feed(nurse, FeedKind.LOCATION, boston)
    make_appointment(alice, Kind.INFUSION, local(boston, day, 9), nurse)
    few = query_count(lambda: Client().get(url(token)))
    for hour in (11, 13, 15):
        make_appointment(bob, Kind.INFUSION, local(boston, day, hour), nurse)
    more = make_patient(boston, "Dora", "Diaz")
    make_appointment(more, Kind.FOLLOW_UP, local(boston, day + dt.timedelta(days=1), 9), nurse)
    assert query_count(lambda: Client().get(url(token))) == few


# "My calendar feeds"


def test_staff_create_a_feed_and_see_its_address_once(boston, nurse):
    client = signed_in(nurse)
    response = client.post(
        reverse("scheduling:feed_create"),
        {"kind": FeedKind.STAFF, "location": boston.pk, "staff": nurse.pk},
    )
    assert response.status_code == 201
    feed = CalendarFeed.objects.get()
    token = response.context["url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert feed_token_digest(token) == feed.token_digest
    assert response["Cache-Control"] == "no-store"
    listing = client.get(reverse("scheduling:feed_list"))
    assert token.encode() not in listing.content
    assert f"…{feed.token_hint}.ics".encode() in listing.content


def test_a_chair_feed_without_a_chair_is_refused_with_nothing_saved(boston, hartford, nurse):
    response = signed_in(nurse).post(
        reverse("scheduling:feed_create"),
        {"kind": FeedKind.CHAIR, "location": boston.pk, "chair": hartford.chairs.get().pk},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["chair"]
    assert not CalendarFeed.objects.exists()


def test_someone_else_may_not_have_a_feed_of_your_appointments(boston, nurse, prescriber):
    response = signed_in(nurse).post(
        reverse("scheduling:feed_create"),
        {"kind": FeedKind.STAFF, "location": boston.pk, "staff": prescriber.pk},
    )
    assert response.status_code == 400
    assert "staff" in response.context["form"].errors
    assert not CalendarFeed.objects.exists()


def test_a_clinic_admin_may_make_a_feed_for_their_staff(boston, clinic_admin, nurse):
    response = signed_in(clinic_admin).post(
        reverse("scheduling:feed_create"),
        {"kind": FeedKind.STAFF, "location": boston.pk, "staff": nurse.pk},
    )
    assert response.status_code == 201
    assert CalendarFeed.objects.get().owner == clinic_admin


def test_no_feed_for_another_location(boston, hartford, nurse):
    response = signed_in(nurse).post(
        reverse("scheduling:feed_create"), {"kind": FeedKind.LOCATION, "location": hartford.pk}
    )
    assert response.status_code == 400
    assert "location" in response.context["form"].errors
    assert not CalendarFeed.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(boston):
    for name in ("scheduling:feed_list", "scheduling:feed_create"):
        assert reverse("accounts:login") in Client().get(reverse(name))["Location"]


def test_revoking_asks_first_then_stops_the_feed(boston, nurse):
    feed, token = create_feed(nurse, FeedKind.LOCATION, boston)
    client = signed_in(nurse)
    revoke = reverse("scheduling:feed_revoke", args=[feed.pk])
    assert client.get(revoke).status_code == 200
    assert Client().get(url(token)).status_code == 200
    assert client.post(revoke).status_code == 302
    assert Client().get(url(token)).status_code == 404


def test_no_one_revokes_someone_elses_feed(boston, nurse, prescriber):
    feed, token = create_feed(nurse, FeedKind.LOCATION, boston)
    response = signed_in(prescriber).post(reverse("scheduling:feed_revoke", args=[feed.pk]))
    assert response.status_code == 404
    assert Client().get(url(token)).status_code == 200


def test_the_list_makes_the_same_queries_for_few_and_many_feeds(boston, nurse):
    client = signed_in(nurse)
    create_feed(nurse, FeedKind.LOCATION, boston)
    few = query_count(lambda: client.get(reverse("scheduling:feed_list")))
    create_feed(nurse, FeedKind.CHAIR, boston, chair=boston.chairs.get())
    create_feed(nurse, FeedKind.STAFF, boston, staff=nurse)
    assert query_count(lambda: client.get(reverse("scheduling:feed_list"))) == few
