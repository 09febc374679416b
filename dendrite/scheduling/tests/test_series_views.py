"""Booking an induction series: protocol and first day → a preview → "Book all 6".
The clock is set to Friday March 6, 2026, 10:00 in Boston; Alice has a signed treatment
consent unless a test says otherwise.

Boston's front desk, nurses and prescribers may book; the clinic admin gets a 403;
Charlie (West Hartford) is a 404 for them.
"""

import datetime as dt

import pytest
from django.urls import reverse

from dendrite.conftest import signed_in
from dendrite.scheduling.models import Appointment, Kind, Series

from .conftest import clear_for_infusions, make_appointment, type_at

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 9)


@pytest.fixture(autouse=True)
def friday_morning(time_machine) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 6, 15, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def protocol(boston):
    return type_at(boston, Kind.INFUSION).protocols.get()


@pytest.fixture
def consented(alice, nurse):
    clear_for_infusions(alice, nurse)
    return alice


def series_url(patient) -> str:
    return reverse("scheduling:series", args=[patient.pk])


def book_url(patient) -> str:
    return reverse("scheduling:series_book", args=[patient.pk])


def plan(client, patient, protocol, **extra):
    query = {"protocol": protocol.pk, "first_day": MONDAY.isoformat(), "preferred_time": ""}
    return client.get(series_url(patient), query | extra)


def confirm_data(response) -> dict:
    confirm = response.context["confirm"]
    values = {name: confirm[name].value() for name in confirm.fields}
    return {name: "" if value is None else value for name, value in values.items()}


def test_the_form_starts_on_the_next_open_day(front_desk, nurse, consented, protocol):
    response = signed_in(front_desk).get(series_url(consented))
    assert response.context["form"]["first_day"].value() == dt.date(2026, 3, 6)
    assert "Induction series" in response.content.decode()


def test_the_preview_lists_six_infusions_and_books_nothing(front_desk, nurse, consented, protocol):
    response = plan(signed_in(front_desk), consented, protocol, preferred_time="10:00")
    planned = response.context["planned"]
    assert len(planned) == 6
    assert [time.local.time() for time in planned] == [dt.time(10)] * 6
    assert planned[0].local.date() == MONDAY
    assert {time.chair.name for time in planned} == {"Chair 1"} and planned[0].staff == nurse
    page = response.content.decode()
    assert "Book all 6</button>" in page and page.count('type="hidden" name="starts"') == 6
    assert not Appointment.objects.exists()


def test_book_all_books_the_previewed_series(front_desk, nurse, consented, protocol):
    client = signed_in(front_desk)
    preview = plan(client, consented, protocol)
    response = client.post(book_url(consented), confirm_data(preview))
    assert response.url == reverse("patients:chart", args=[consented.pk]) + "#schedule"
    series = Series.objects.get()
    starts = [a.starts_at for a in series.appointments.order_by("series_number")]
    assert starts == [time.local for time in preview.context["planned"]]
    assert "All 6 infusions are booked." in client.get(response.url).content.decode()


def test_a_plan_taken_meanwhile_books_nothing_and_shows_a_fresh_plan(
    front_desk, nurse, consented, bob, boston, protocol
):
    client = signed_in(front_desk)
    preview = plan(client, consented, protocol)
    first = preview.context["planned"][0].local
    clear_for_infusions(bob, nurse)
    make_appointment(bob, Kind.INFUSION, first, nurse)  # a colleague books Bob there
    response = client.post(book_url(consented), confirm_data(preview))
    assert response.status_code == 409
    assert not Series.objects.exists()
    assert Appointment.objects.filter(patient=consented).count() == 0
    page = response.content.decode()
    assert (
        "Nothing was booked." in page and "Below is a fresh plan from the same first day." in page
    )
    assert response.context["planned"][0].local != first


def test_a_patient_without_a_treatment_consent_gets_no_plan(front_desk, nurse, alice, protocol):
    response = plan(signed_in(front_desk), alice, protocol)
    assert response.status_code == 400 and "planned" not in response.context
    assert "There is no signed treatment consent in force." in response.content.decode()


def test_a_first_day_in_the_past_is_refused(front_desk, nurse, consented, protocol):
    response = plan(signed_in(front_desk), consented, protocol, first_day="2026-03-01")
    assert "The first infusion cannot be in the past." in response.content.decode()
    assert "planned" not in response.context


def test_bad_input_gets_a_message_per_field(front_desk, nurse, consented, protocol):
    response = plan(
        signed_in(front_desk), consented, protocol, first_day="soon", preferred_time="noonish"
    )
    errors = response.context["form"].errors
    assert errors["first_day"] == ["Please enter a date, such as 2026-03-09."]
    assert errors["preferred_time"] == ["Please enter a time, such as 09:30."]


def test_a_confirmation_without_times_books_nothing(front_desk, nurse, consented, protocol):
    data = {"protocol": protocol.pk, "first_day": MONDAY.isoformat(), "preferred_time": ""}
    response = signed_in(front_desk).post(book_url(consented), data)
    assert response.status_code == 409 and not Appointment.objects.exists()
    assert len(response.context["planned"]) == 6  # a fresh plan to book instead


def test_anonymous_people_are_sent_to_sign_in(client, alice, protocol):
    assert "/login" in client.get(series_url(alice)).url
    assert "/login" in client.post(book_url(alice), {}).url


def test_the_clinic_admin_may_not_book_a_series(clinic_admin, consented, protocol):
    client = signed_in(clinic_admin)
    assert plan(client, consented, protocol).status_code == 403
    assert client.post(book_url(consented), {"protocol": protocol.pk}).status_code == 403


def test_another_locations_patient_is_not_found(front_desk, charlie, hartford):
    protocol = type_at(hartford, Kind.INFUSION).protocols.get()
    client = signed_in(front_desk)
    assert plan(client, charlie, protocol).status_code == 404
    assert client.post(book_url(charlie), {"protocol": protocol.pk}).status_code == 404
    assert not Appointment.objects.exists()
