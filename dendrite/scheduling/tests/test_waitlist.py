"""The waitlist: a freed time is offered to the first patient in line, and staff book it.

Alice and Bob (Boston) may be put on Boston's waitlist by front desk, nurses and
prescribers of Boston; Charlie (West Hartford) only by West Hartford's staff. Clinic
admins see the waitlist of their locations (they run the clinic) but add no one to it:
that starts from the chart.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page

from dendrite.conftest import make_patient, query_count, sign_in, signed_in
from dendrite.scheduling import actions, messaging, waitlist
from dendrite.scheduling.models import Appointment, Kind, Status, WaitlistEntry, WaitlistStatus
from dendrite.scheduling.tests.conftest import local, make_appointment, next_weekday, type_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch) -> list[dict]:
    """What notify_patient was asked to send (its own tests cover the sending)."""
    calls: list[dict] = []

    def notify(patient, **message):
        calls.append({"patient": patient, **message})
        return ["email"]

    monkeypatch.setattr(messaging, "notify_patient", notify)
    return calls


def entry_for(patient, kind, earliest, latest, by, **extra) -> WaitlistEntry:
    appointment_type = type_at(patient.location, kind)
    return WaitlistEntry.objects.create(
        patient=patient, location=patient.location, appointment_type=appointment_type,
        earliest=earliest, latest=latest, added_by=by, **extra,
    )  # fmt: skip


def freed(patient, day, prescriber, hour=10) -> Appointment:
    start = local(patient.location, day, hour)
    return make_appointment(patient, Kind.CONSULTATION, start, prescriber, status=Status.CANCELLED)


# Offering a freed time


def test_a_freed_time_goes_to_the_oldest_entry_whose_window_holds_it(
    boston, alice, bob, front_desk, prescriber, sent
):
    day = next_weekday(1)
    too_late = entry_for(
        bob, Kind.CONSULTATION, day + dt.timedelta(days=1), day + dt.timedelta(days=9), front_desk
    )
    other_type = entry_for(bob, Kind.FOLLOW_UP, day, day, front_desk)
    first = entry_for(bob, Kind.CONSULTATION, day, day, front_desk)
    second = entry_for(
        make_patient(boston, "Dora", "Diaz"), Kind.CONSULTATION, day, day, front_desk
    )
    appointment = freed(alice, day, prescriber)
    assert waitlist.offer_freed_slot.call(appointment_id=appointment.pk) == first.pk
    first.refresh_from_db()
    assert first.status == WaitlistStatus.OFFERED
    assert first.offered_starts_at == appointment.starts_at
    for untouched in (too_late, other_type, second):
        untouched.refresh_from_db()
        assert untouched.status == WaitlistStatus.WAITING
    (message,) = sent
    assert message["patient"] == bob and message["location"] == boston
    assert message["subject"] == waitlist.OFFER_SUBJECT
    _subject, _body, text = messaging.compose(
        bob, subject=message["subject"], template=message["template"], context=message["context"]
    )
    assert "Bob" not in message["subject"] and "(617) 555-0100" in text


def test_running_the_offer_twice_offers_the_time_once(
    boston, alice, bob, front_desk, prescriber, sent
):
    day = next_weekday(1)
    entry_for(bob, Kind.CONSULTATION, day, day, front_desk)
    entry_for(make_patient(boston, "Dora", "Diaz"), Kind.CONSULTATION, day, day, front_desk)
    appointment = freed(alice, day, prescriber)
    waitlist.offer_freed_slot.call(appointment_id=appointment.pk)
    assert waitlist.offer_freed_slot.call(appointment_id=appointment.pk) is None
    assert WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED).count() == 1
    assert len(sent) == 1


def test_a_patient_already_booked_then_is_skipped(
    boston, alice, bob, front_desk, prescriber, nurse, sent
):
    day = next_weekday(1)
    entry_for(bob, Kind.CONSULTATION, day, day, front_desk)
    make_appointment(bob, Kind.FOLLOW_UP, local(boston, day, 10, 30), nurse)
    waitlist.offer_freed_slot.call(appointment_id=freed(alice, day, prescriber).pk)
    assert not WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED).exists()
    assert sent == []


def test_a_time_taken_again_or_in_the_past_is_not_offered(
    boston, alice, bob, charlie, front_desk, prescriber, sent
):
    day = next_weekday(1)
    entry_for(bob, Kind.CONSULTATION, day, day, front_desk)
    taken = freed(alice, day, prescriber)
    make_appointment(
        make_patient(boston, "Dora", "Diaz"), Kind.CONSULTATION, taken.starts_at, prescriber
    )
    waitlist.offer_freed_slot.call(appointment_id=taken.pk)
    past_day = boston.local_now().date() - dt.timedelta(days=1)
    entry_for(bob, Kind.CONSULTATION, past_day, past_day, front_desk)
    waitlist.offer_freed_slot.call(appointment_id=freed(alice, past_day, prescriber).pk)
    assert not WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED).exists()


def test_slot_freed_queues_the_offer_with_the_cancellation(
    boston, alice, bob, front_desk, prescriber, sent, run_worker
):
    day = next_weekday(1)
    entry = entry_for(bob, Kind.CONSULTATION, day, day, front_desk)
    appointment = freed(alice, day, prescriber)
    waitlist.slot_freed(appointment)
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WAITING  # not yet: the worker makes the offer
    run_worker()
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED


# The waitlist page


def test_staff_see_offers_first_and_the_page_is_audited(boston, alice, bob, front_desk, prescriber):
    day = next_weekday(1)
    entry_for(alice, Kind.CONSULTATION, day, day, front_desk)
    entry_for(bob, Kind.CONSULTATION, day, day, front_desk, status=WaitlistStatus.OFFERED,
              offered_starts_at=local(boston, day, 10))  # fmt: skip
    response = signed_in(front_desk).get(reverse("scheduling:waitlist"))
    assert response.status_code == 200
    assert [e.patient for e in response.context["page"]] == [bob, alice]
    assert b"Book this offer" in response.content


def test_the_page_makes_the_same_queries_for_few_and_many_entries(boston, alice, bob, front_desk):
    client = signed_in(front_desk)
    day = next_weekday(1)
    offered = {"status": WaitlistStatus.OFFERED, "offered_starts_at": local(boston, day, 10)}
    entry_for(alice, Kind.CONSULTATION, day, day, front_desk)
    entry_for(bob, Kind.INFUSION, day, day, front_desk, **offered)  # the booking gate is asked
    few = query_count(lambda: client.get(reverse("scheduling:waitlist")))
    for name in ("Dora", "Eve", "Finn"):
        patient = make_patient(boston, name, "Diaz")
        entry_for(patient, Kind.INFUSION, day, day, front_desk)
        entry_for(patient, Kind.INFUSION, day, day, front_desk, **offered)
    assert query_count(lambda: client.get(reverse("scheduling:waitlist"))) == few


def test_another_locations_entries_are_not_listed(
    boston, hartford, charlie, front_desk, prescriber_hartford
):
    day = next_weekday(1)
    entry_for(charlie, Kind.CONSULTATION, day, day, prescriber_hartford)
    response = signed_in(front_desk).get(reverse("scheduling:waitlist"))
    assert list(response.context["page"]) == []


def test_anonymous_people_are_kept_out_and_clinic_admins_see_the_waitlist(boston, clinic_admin):
    assert reverse("accounts:login") in Client().get(reverse("scheduling:waitlist"))["Location"]
    assert signed_in(clinic_admin).get(reverse("scheduling:waitlist")).status_code == 200


# Adding a patient


def add_url(patient) -> str:
    return reverse("scheduling:waitlist_add") + f"?patient={patient.pk}"


def test_staff_add_a_patient_from_the_chart(boston, alice, nurse):
    day = next_weekday(1)
    response = signed_in(nurse).post(add_url(alice), {
        "appointment_type": type_at(boston, Kind.INFUSION).pk,
        "earliest": day.isoformat(), "latest": (day + dt.timedelta(days=7)).isoformat(),
        "note": "Mornings suit",
    })  # fmt: skip
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get()
    assert (entry.patient, entry.location, entry.added_by) == (alice, boston, nurse)


def test_a_window_that_ends_before_it_starts_is_refused(boston, alice, nurse):
    day = next_weekday(1)
    response = signed_in(nurse).post(add_url(alice), {
        "appointment_type": type_at(boston, Kind.INFUSION).pk,
        "earliest": day.isoformat(), "latest": (day - dt.timedelta(days=1)).isoformat(),
    })  # fmt: skip
    assert response.status_code == 400
    assert response.context["form"].errors["latest"]
    assert response.context["form"]["earliest"].value() == day.isoformat()
    assert not WaitlistEntry.objects.exists()


def test_another_locations_type_or_patient_is_refused(boston, hartford, alice, charlie, nurse):
    day = next_weekday(1).isoformat()
    data = {"appointment_type": type_at(hartford, Kind.INFUSION).pk, "earliest": day, "latest": day}
    response = signed_in(nurse).post(add_url(alice), data)
    assert response.status_code == 400 and "appointment_type" in response.context["form"].errors
    assert signed_in(nurse).get(add_url(charlie)).status_code == 404
    assert not WaitlistEntry.objects.exists()


# Booking an offer


def test_booking_an_offer_books_the_time_and_closes_the_entry(boston, bob, front_desk, prescriber):
    start = local(boston, next_weekday(1), 10)
    entry = entry_for(bob, Kind.CONSULTATION, start.date(), start.date(), front_desk,
                      status=WaitlistStatus.OFFERED, offered_starts_at=start)  # fmt: skip
    response = signed_in(front_desk).post(reverse("scheduling:waitlist_book", args=[entry.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.BOOKED
    assert entry.booked_as.starts_at == start and entry.booked_as.patient == bob


def test_a_refused_booking_keeps_the_offer_and_says_why(boston, bob, front_desk):
    start = local(boston, next_weekday(1), 10)
    entry = entry_for(bob, Kind.INFUSION, start.date(), start.date(), front_desk,
                      status=WaitlistStatus.OFFERED, offered_starts_at=start)  # fmt: skip
    response = signed_in(front_desk).post(
        reverse("scheduling:waitlist_book", args=[entry.pk]), follow=True
    )
    assert "no signed treatment consent" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED
    assert not Appointment.objects.exists()


def test_booking_an_entry_that_is_not_on_offer_is_refused_and_nothing_is_booked(
    boston, bob, front_desk
):
    day = next_weekday(1)
    entry = entry_for(bob, Kind.CONSULTATION, day, day, front_desk)  # waiting: no time yet
    with pytest.raises(actions.Refused, match="no time is on offer"):
        actions.waitlist.book_offer(entry, by=front_desk)
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WAITING and entry.booked_as is None
    assert not Appointment.objects.exists()


def test_no_one_books_or_removes_another_locations_entry(
    boston, hartford, charlie, front_desk, prescriber_hartford
):
    day = next_weekday(1)
    entry = entry_for(charlie, Kind.CONSULTATION, day, day, prescriber_hartford)
    client = signed_in(front_desk)
    for name in ("scheduling:waitlist_book", "scheduling:waitlist_remove"):
        assert client.post(reverse(name, args=[entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WAITING


def test_removing_and_declining(boston, bob, front_desk):
    start = local(boston, next_weekday(1), 10)
    entry = entry_for(bob, Kind.CONSULTATION, start.date(), start.date(), front_desk,
                      status=WaitlistStatus.OFFERED, offered_starts_at=start)  # fmt: skip
    client = signed_in(front_desk)
    client.post(reverse("scheduling:waitlist_decline", args=[entry.pk]))
    entry.refresh_from_db()
    assert (entry.status, entry.offered_starts_at) == (WaitlistStatus.WAITING, None)
    client.post(reverse("scheduling:waitlist_remove", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.REMOVED


# In a browser


@pytest.mark.browser
def test_feed_and_waitlist_pages_pass_axe_at_320_px(
    page: Page, live_server, front_desk, alice, check_axe
):
    day = next_weekday(1)
    WaitlistEntry.objects.create(
        patient=alice, location=alice.location, earliest=day, latest=day, added_by=front_desk,
        appointment_type=type_at(alice.location, Kind.CONSULTATION),
    )  # fmt: skip
    page.set_viewport_size({"width": 320, "height": 720})
    sign_in(page, live_server, front_desk)
    found = {}
    for path in [
        reverse("scheduling:feed_list"),
        reverse("scheduling:waitlist"),
        reverse("scheduling:waitlist_add") + f"?patient={alice.pk}",
    ]:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        if violations := check_axe(page):
            found[path] = violations
    page.goto(live_server.url + reverse("scheduling:feed_list"))
    page.get_by_label("Every appointment at a location").check()
    page.get_by_role("button", name="Create the feed").click()
    assert "/calendar/" in page.get_by_label("Address of").input_value()
    if violations := check_axe(page):
        found["created"] = violations
    assert found == {}
