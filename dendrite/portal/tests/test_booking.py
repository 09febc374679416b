"""Booking a visit in the portal: only what the clinic opened to online booking, a
booster only with a prescriber's open approval, the slot finder's times, the same gate
and booking action as staff, kind words for a taken time or a refusal, one appointment
for a double click, and the approval used once.

Boston (the shared cast) is open Monday to Friday 08:00-18:00 with one chair; `prescriber`
is its only prescriber (follow-ups) and `nurse` its only nurse (boosters)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from dendrite.audit.models import AuditEvent
from dendrite.conftest import query_count, signed_in
from dendrite.outcomes.actions import approve_booster
from dendrite.outcomes.models import BoosterApproval
from dendrite.portal import booking
from dendrite.portal.booking import May, decide
from dendrite.scheduling.models import Appointment, Kind, OnlineBooking, PatientMessage
from dendrite.scheduling.tests.conftest import (
    clear_for_infusions,
    local,
    make_appointment,
    next_weekday,
)

from .conftest import portal_client

TZ = ZoneInfo("America/New_York")  # Boston's


@pytest.fixture
def monday(boston):
    return next_weekday(0)


@pytest.fixture
def online(boston):
    return OnlineBooking.objects.create(location=boston, follow_ups=True, boosters=True)


def at(moment: dt.datetime) -> str:
    return booking.at_text(moment)


def confirm_url(kind: str, moment: dt.datetime) -> str:
    return f"/portal/book/{kind}/confirm/?at={at(moment)}"


def week_of(monday: dt.date, notice_hours: int = 24) -> int:
    """Which week of the offer holds the day (the offer starts after the notice)."""
    first = (timezone.now() + dt.timedelta(hours=notice_hours)).astimezone(TZ).date()
    return (monday - first).days // 7


# The decision, on its own


@pytest.mark.parametrize(
    ("kind", "allowed", "offered", "approved", "cleared", "expected"),
    [
        (Kind.FOLLOW_UP, True, True, False, True, May.BOOK),
        (Kind.FOLLOW_UP, True, True, False, False, May.CALL),
        (Kind.FOLLOW_UP, False, True, False, True, None),
        (Kind.FOLLOW_UP, True, False, False, True, None),
        (Kind.BOOSTER, True, True, True, True, May.BOOK),
        (Kind.BOOSTER, True, True, True, False, May.CALL),
        (Kind.BOOSTER, True, True, False, True, None),
        (Kind.BOOSTER, False, True, True, True, None),
        (Kind.INFUSION, True, True, True, True, None),
        (Kind.CONSULTATION, True, True, True, True, None),
    ],
)
def test_what_a_patient_may_book(kind, allowed, offered, approved, cleared, expected):
    assert (
        decide(kind, allowed=allowed, offered=offered, approved=approved, cleared=cleared)
        == expected
    )


def test_online_booking_is_off_until_the_clinic_turns_it_on(boston):
    rules = OnlineBooking.for_location(boston.pk)
    assert rules.pk is None
    assert not rules.allows(Kind.FOLLOW_UP) and not rules.allows(Kind.BOOSTER)


def test_the_database_holds_exactly_one_booker(alice, nurse, monday):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_appointment(alice, Kind.FOLLOW_UP, local(alice.location, monday, 9), nurse,
                         booked_online=True)  # fmt: skip


# The pages


def test_nothing_is_bookable_when_the_clinic_does_not_allow_it(alice, prescriber, monday):
    client = portal_client(alice)
    page = client.get("/portal/book/")
    assert b"nothing you can book online" in page.content
    assert b"tel:+16175550100" in page.content
    assert client.get("/portal/book/follow-up/").status_code == 404
    starts = local(alice.location, monday, 10)
    assert client.get(confirm_url("follow-up", starts)).status_code == 404
    assert client.post(confirm_url("follow-up", starts), {"at": at(starts)}).status_code == 404
    assert not Appointment.objects.exists()


def test_a_patient_books_a_follow_up(alice_in, prescriber, front_desk, online, monday):
    alice = alice_in  # agreed to e-mail and texts
    client = portal_client(alice)
    page = client.get("/portal/book/")
    assert b"A follow-up visit" in page.content
    assert b"booster" not in page.content.lower().replace(b"a booster infusion", b"")
    starts = local(alice.location, monday, 10)
    times = client.get(f"/portal/book/follow-up/?week={week_of(monday)}")
    assert confirm_url("follow-up", starts).encode() in times.content
    confirm = client.get(confirm_url("follow-up", starts))
    assert confirm.status_code == 200 and b"Book this time" in confirm.content
    done = client.post(confirm_url("follow-up", starts), {"at": at(starts)})
    appointment = Appointment.objects.get()
    assert done.url == f"/portal/appointments/{appointment.pk}/"
    assert appointment.booked_online and appointment.booked_by is None
    assert appointment.staff == prescriber and appointment.starts_at == starts
    assert appointment.appointment_type.kind == Kind.FOLLOW_UP
    # The confirmation, as for a staff booking; the audit names the portal.
    assert PatientMessage.objects.filter(patient=alice).exists()
    event = AuditEvent.objects.get(action="scheduling.appointment.book")
    assert event.actor_username == "patient-portal" and event.actor_id is None
    # The front desk sees who booked it, on the day and on the appointment.
    staff = signed_in(front_desk)
    day = staff.get(f"/staff/schedule/{alice.location.pk}/{monday.isoformat()}/")
    assert b"booked by the patient online" in day.content
    detail = staff.get(f"/staff/schedule/appointments/{appointment.pk}/")
    assert b"By the patient online" in detail.content


@pytest.mark.parametrize("kind", ["follow-up", "booster"])
def test_a_double_click_makes_one_appointment(alice, nurse, prescriber, online, monday, kind):
    clear_for_infusions(alice, nurse)
    approve_booster(alice, by=prescriber)
    client = portal_client(alice)
    starts = local(alice.location, monday, 11)
    first = client.post(confirm_url(kind, starts), {"at": at(starts)})
    second = client.post(confirm_url(kind, starts), {"at": at(starts)})
    assert Appointment.objects.count() == 1
    assert first.url == second.url == f"/portal/appointments/{Appointment.objects.get().pk}/"


def test_a_time_just_taken_is_said_kindly_with_fresh_times(alice, bob, prescriber, online, monday):
    client = portal_client(alice)
    starts = local(alice.location, monday, 14)
    assert client.get(confirm_url("follow-up", starts)).status_code == 200
    # Bob takes the only prescriber at that time before Alice presses the button.
    make_appointment(bob, Kind.FOLLOW_UP, starts, prescriber)
    response = client.post(confirm_url("follow-up", starts), {"at": at(starts)}, follow=True)
    assert b"that time was just taken" in response.content
    assert response.redirect_chain[-1][0] == "/portal/book/follow-up/"
    assert not Appointment.objects.filter(patient=alice).exists()
    # The confirm page of a taken time says so too, and the times leave it out.
    again = client.get(confirm_url("follow-up", starts), follow=True)
    assert b"that time was just taken" in again.content
    times = client.get(f"/portal/book/follow-up/?week={week_of(monday)}")
    assert confirm_url("follow-up", starts).encode() not in times.content


def test_forged_times_and_kinds(alice, prescriber, online, monday):
    client = portal_client(alice)
    for bad in ("nonsense", "2026-13-45T10:00Z", ""):
        assert client.get(f"/portal/book/follow-up/confirm/?at={bad}").status_code == 404
        assert client.post("/portal/book/follow-up/confirm/", {"at": bad}).status_code == 404
    for kind in ("consultation", "infusion", "nonsense"):
        assert client.get(f"/portal/book/{kind}/").status_code == 404
    # A time the slot finder does not offer: at night, off the grid, too soon, too far.
    night = local(alice.location, monday, 3)
    off_grid = local(alice.location, monday, 10, 7)
    too_far = local(alice.location, monday + dt.timedelta(weeks=8), 10)
    for moment in (night, off_grid, too_far):
        response = client.post(confirm_url("follow-up", moment), {"at": at(moment)}, follow=True)
        assert b"that time was just taken" in response.content
    assert not Appointment.objects.exists()
    assert client.get("/portal/book/follow-up/?week=nonsense").status_code == 200


def test_online_bookings_keep_the_clinics_notice(alice, prescriber, online):
    online.notice_hours = 24 * 14
    online.save()
    soon = local(alice.location, next_weekday(0, weeks=1), 10)
    client = portal_client(alice)
    response = client.post(confirm_url("follow-up", soon), {"at": at(soon)}, follow=True)
    assert b"that time was just taken" in response.content
    assert not Appointment.objects.exists()


def test_a_booster_only_with_an_approval_and_through_the_gate(alice, nurse, prescriber, online,
                                                               monday):  # fmt: skip
    client = portal_client(alice)
    assert b"A booster infusion" not in client.get("/portal/book/").content
    assert client.get("/portal/book/booster/").status_code == 404
    approve_booster(alice, by=prescriber)
    # Approved, but the gate refuses (no consent, no signed-off history): "please call",
    # never the reason.
    page = client.get("/portal/book/")
    assert b"A booster infusion" in page.content
    assert b"Please call" in page.content
    for internal in (b"consent", b"history", b"safety alert", b"triage"):
        assert internal not in page.content.lower()
    assert client.get("/portal/book/booster/").status_code == 404
    clear_for_infusions(alice, nurse)
    starts = local(alice.location, monday, 9)
    times = client.get(f"/portal/book/booster/?week={week_of(monday)}")
    assert confirm_url("booster", starts).encode() in times.content
    client.post(confirm_url("booster", starts), {"at": at(starts)})
    appointment = Appointment.objects.get()
    assert appointment.appointment_type.kind == Kind.BOOSTER and appointment.chair is not None
    approval = BoosterApproval.objects.get()
    assert approval.appointment == appointment
    # Used once: no second booster on the same approval.
    assert client.get("/portal/book/booster/").status_code == 404
    later = local(alice.location, monday + dt.timedelta(days=1), 9)
    assert client.post(confirm_url("booster", later), {"at": at(later)}).status_code == 404
    assert Appointment.objects.count() == 1


def test_a_cancelled_booster_gives_the_approval_back(alice, nurse, prescriber, online, monday):
    from dendrite.portal.actions import cancel

    clear_for_infusions(alice, nurse)
    approval = approve_booster(alice, by=prescriber)
    client = portal_client(alice)
    starts = local(alice.location, monday, 9)
    client.post(confirm_url("booster", starts), {"at": at(starts)})
    first = Appointment.objects.get()
    assert not BoosterApproval.objects.open().exists()
    assert approve_booster(alice, by=prescriber) != approval  # used: a new one is needed
    BoosterApproval.objects.exclude(pk=approval.pk).delete()
    cancel(first, reason="Something came up")
    # The approval is open again: the patient books another time without asking twice.
    assert list(BoosterApproval.objects.open()) == [approval]
    assert approve_booster(alice, by=prescriber) == approval
    later = local(alice.location, monday + dt.timedelta(days=1), 9)
    client.post(confirm_url("booster", later), {"at": at(later)})
    second = Appointment.objects.exclude(pk=first.pk).get()
    approval.refresh_from_db()
    assert approval.appointment == second and not BoosterApproval.objects.open().exists()
    page = signed_in(prescriber).get(f"/staff/patients/{alice.pk}/booster/")
    assert b"No booster is waiting to be booked" in page.content


def test_the_last_chair_goes_to_one_patient(alice, bob, nurse, prescriber, online, monday):
    for patient in (alice, bob):
        clear_for_infusions(patient, nurse)
        approve_booster(patient, by=prescriber)
    starts = local(alice.location, monday, 9)
    alice_client, bob_client = portal_client(alice), portal_client(bob)
    assert alice_client.get(confirm_url("booster", starts)).status_code == 200
    assert bob_client.get(confirm_url("booster", starts)).status_code == 200
    alice_client.post(confirm_url("booster", starts), {"at": at(starts)})
    response = bob_client.post(confirm_url("booster", starts), {"at": at(starts)}, follow=True)
    assert b"that time was just taken" in response.content
    assert Appointment.objects.get().patient == alice
    # Bob's approval is still his to use at another time.
    assert BoosterApproval.objects.open().filter(patient=bob).exists()


def test_a_gate_refusal_at_booking_time_asks_the_patient_to_call(
    alice, nurse, prescriber, online, monday, monkeypatch
):
    clear_for_infusions(alice, nurse)
    approve_booster(alice, by=prescriber)
    starts = local(alice.location, monday, 9)
    client = portal_client(alice)
    assert client.get(confirm_url("booster", starts)).status_code == 200
    # Between the confirm page and the button, the gate closes (a safety alert, say).
    from dendrite.scheduling import gate

    monkeypatch.setattr(gate, "unmet", lambda *args, **kwargs: [gate.Condition.ALERT])
    response = client.post(confirm_url("booster", starts), {"at": at(starts)}, follow=True)
    assert b"Please call the clinic to book it" in response.content
    assert b"safety alert" not in response.content.lower()
    assert not Appointment.objects.exists()
    assert BoosterApproval.objects.open().filter(patient=alice).exists()


def test_the_times_page_does_not_grow_with_the_appointments(alice, bob, prescriber, online,
                                                            monday):  # fmt: skip
    client = portal_client(alice)
    url = f"/portal/book/follow-up/?week={week_of(monday)}"

    def book_bob(hours: list[int]) -> None:
        for hour in hours:
            make_appointment(bob, Kind.FOLLOW_UP, local(bob.location, monday, hour), prescriber)

    book_bob([8])
    few = query_count(lambda: client.get(url))
    book_bob([9, 10, 11, 12, 13, 14])
    assert query_count(lambda: client.get(url)) == few


def test_only_a_prescriber_approves_a_booster(alice, nurse, prescriber, prescriber_hartford):
    url = f"/staff/patients/{alice.pk}/booster/"
    assert signed_in(nurse).post(url, {"do": "approve"}).status_code in (403, 404)
    assert signed_in(prescriber_hartford).post(url, {"do": "approve"}).status_code == 404
    assert not BoosterApproval.objects.exists()
    client = signed_in(prescriber)
    assert b"Approve one booster infusion" in client.get(url).content
    client.post(url, {"do": "approve"})
    client.post(url, {"do": "approve"})
    approval = BoosterApproval.objects.get()
    assert approval.approved_by == prescriber
    client.post(url, {"do": "withdraw"})
    approval.refresh_from_db()
    assert approval.withdrawn_at is not None


def test_the_booking_pages_in_spanish(alice, nurse, prescriber, online, monday, settings):
    clear_for_infusions(alice, nurse)
    approve_booster(alice, by=prescriber)
    client = portal_client(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    starts = local(alice.location, monday, 10)
    pages = {
        "/portal/book/": "Reservar una visita",
        f"/portal/book/follow-up/?week={week_of(monday)}": "Elija una hora",
        confirm_url("follow-up", starts): "Confirme su reserva",
    }
    for url, heading in pages.items():
        page = client.get(url).content.decode()
        assert heading in page, url
        for english in ("Book a visit", "Choose a time", "Confirm your booking", "See free",
                        "Book this time", "booster infusion", "follow-up visit", "Please call",
                        "Later week", "Back to your"):  # fmt: skip
            assert english not in page, (url, english)
    done = client.post(confirm_url("follow-up", starts), {"at": at(starts)}, follow=True)
    assert "Su visita está reservada" in done.content.decode()
