"""Booking one appointment from the chart (or from a converted lead): choose the visit and
a day, pick a free time, book. The clock is set to Friday March 6, 2026, 10:00 in Boston.

Boston's front desk, nurses and prescribers book for Boston's patients; the clinic admin
gets a 403; Charlie (West Hartford) is a 404 for them.
"""

import datetime as dt

import pytest
from django.urls import reverse

from dendrite.conftest import signed_in
from dendrite.leads.actions import create_lead
from dendrite.leads.models import Source
from dendrite.scheduling.models import Appointment, Kind

from .conftest import clear_for_infusions, local, make_appointment

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 9)


@pytest.fixture(autouse=True)
def friday_morning(time_machine) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 6, 15, tzinfo=dt.UTC), tick=False)


def book_url(patient) -> str:
    return reverse("scheduling:book", args=[patient.pk])


def at(boston, day: dt.date, hour: int, minute: int = 0) -> str:
    return local(boston, day, hour, minute).astimezone(dt.UTC).isoformat()


def choice(boston, day=MONDAY, hour=10, minute=0, kind="consultation", **extra) -> dict:
    """What the page posts when a time is picked."""
    starts_at = at(boston, day, hour, minute)
    return (
        {"appointment_type": kind, "day": day.isoformat(), "staff": ""}
        | {"starts_at": starts_at}
        | extra
    )


def test_the_page_opens_on_a_consultation_with_the_free_times_of_the_next_days(
    front_desk, prescriber, alice, boston
):
    response = signed_in(front_desk).get(book_url(alice))
    chosen, times = response.context["chosen"], response.context["times"]
    assert (chosen["type"].kind, chosen["first"]) == (Kind.CONSULTATION, dt.date(2026, 3, 6))
    # Today from 10:00 (the past is not offered), then Monday to Thursday; no weekend.
    assert [day for day, _ in times] == [dt.date(2026, 3, d) for d in (6, 9, 10, 11, 12)]
    assert times[0][1][0].local.time() == dt.time(10)
    page = response.content.decode()
    assert 'type="radio" name="starts_at"' in page and ">9:00 AM</label>" in page


def test_on_a_saturday_it_starts_on_monday(front_desk, prescriber, alice, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 7, 15, tzinfo=dt.UTC), tick=False)
    response = signed_in(front_desk).get(book_url(alice))
    assert response.context["chosen"]["first"] == MONDAY


def test_booking_a_free_time_makes_the_appointment(front_desk, prescriber, alice, boston):
    response = signed_in(front_desk).post(book_url(alice), choice(boston))
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("scheduling:appointment", args=[appointment.pk])
    assert (appointment.patient, appointment.staff, appointment.local_start.hour) == (
        alice, prescriber, 10,
    )  # fmt: skip


def test_a_chosen_staff_member_is_the_one_booked(front_desk, prescriber, alice, boston):
    from dendrite.accounts.models import Role
    from dendrite.conftest import make_user

    other = make_user("pat_prescriber", Role.PRESCRIBER, boston)
    client = signed_in(front_desk)
    query = {"appointment_type": "consultation", "day": MONDAY.isoformat(), "staff": other.pk}
    response = client.get(book_url(alice), query)
    assert response.context["chosen"]["staff"] == other
    client.post(book_url(alice), choice(boston, staff=other.pk))
    assert Appointment.objects.get().staff == other


def test_a_consultation_can_be_booked_from_a_converted_lead(front_desk, alice, boston):
    lead = create_lead(
        source=Source.INQUIRY, location=boston, name="Alice Lovelace", email="a@example.test",
        consent_to_contact=True,
    )  # fmt: skip
    lead.patient = alice
    lead.save(update_fields=["patient"])
    page = signed_in(front_desk).get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert f'href="{book_url(alice)}?appointment_type=consultation">Book a consultation' in page


def test_a_day_in_the_past_is_refused_with_a_clear_message(front_desk, prescriber, alice):
    response = signed_in(front_desk).get(book_url(alice), {"day": "2026-03-05"})
    assert response.status_code == 400
    assert response.context["form"].errors["day"] == [
        "That day has passed. Please choose today or a later day."
    ]
    assert "chosen" not in response.context


def test_booking_without_a_time_asks_for_one(front_desk, prescriber, alice, boston):
    response = signed_in(front_desk).post(book_url(alice), choice(boston, starts_at=""))
    assert response.status_code == 400
    assert response.context["form"].errors["starts_at"] == ["Please choose one of the free times."]
    assert not Appointment.objects.exists()
    assert response.context["times"]  # the list is still there to choose from


@pytest.mark.parametrize(
    ("day", "hour", "message"),
    [
        (dt.date(2026, 3, 6), 9, "That time has already passed."),
        (dt.date(2026, 3, 8), 10, "(or on a day it is closed)"),  # a Sunday
        (MONDAY, 7, "outside the location&#x27;s opening hours"),
        (MONDAY, 17.5, "outside the location&#x27;s opening hours"),  # would end after 18:00
    ],
)
def test_a_time_that_cannot_be_booked_is_refused_and_what_was_typed_stays(
    front_desk, prescriber, alice, boston, day, hour, message
):
    data = choice(boston, day=day, hour=int(hour), minute=int(hour % 1 * 60))
    response = signed_in(front_desk).post(book_url(alice), data)
    assert not Appointment.objects.exists()
    assert message in response.content.decode()
    form = response.context["form"]
    assert (form["appointment_type"].value(), form["starts_at"].value()) == (
        data["appointment_type"], data["starts_at"],
    )  # fmt: skip


def test_a_time_someone_else_took_is_refused(front_desk, prescriber, alice, bob, boston):
    make_appointment(bob, Kind.CONSULTATION, local(boston, MONDAY, 10), prescriber)
    response = signed_in(front_desk).post(book_url(alice), choice(boston))
    assert Appointment.objects.filter(patient=alice).count() == 0
    assert "Nobody who can see the patient for this visit is free at that time." in (
        response.content.decode()
    )


def test_an_infusion_needs_a_signed_treatment_consent(front_desk, nurse, alice, boston):
    client = signed_in(front_desk)
    page = client.get(book_url(alice), {"appointment_type": "infusion"}).content.decode()
    assert "Infusions cannot be booked yet:" in page and 'name="starts_at"' not in page
    assert "There is no signed treatment consent in force." in page
    response = client.post(book_url(alice), choice(boston, kind="infusion"))
    assert not Appointment.objects.exists()
    assert "Nothing was booked." in response.content.decode()
    assert "There is no signed treatment consent in force." in response.content.decode()
    clear_for_infusions(alice, nurse)
    client.post(book_url(alice), choice(boston, kind="infusion"))
    assert Appointment.objects.get().chair.name == "Chair 1"


def test_anonymous_people_are_sent_to_sign_in(client, alice, boston):
    assert "/login" in client.get(book_url(alice)).url
    assert "/login" in client.post(book_url(alice), choice(boston)).url


def test_the_clinic_admin_may_not_book(clinic_admin, prescriber, alice, boston):
    client = signed_in(clinic_admin)
    assert client.get(book_url(alice)).status_code == 403
    assert client.post(book_url(alice), choice(boston)).status_code == 403
    assert not Appointment.objects.exists()


def test_another_locations_patient_is_not_found(front_desk, prescriber, charlie, hartford):
    client = signed_in(front_desk)
    assert client.get(book_url(charlie)).status_code == 404
    assert client.post(book_url(charlie), choice(hartford)).status_code == 404
    assert not Appointment.objects.exists()
