"""An appointment's page, its status buttons (from the page and from the day view) and
cancelling with a reason, with the version guarding against a colleague's change.

Boston's front desk, nurses, prescribers and clinic admin may do all of it (the admin
without a link to the chart); Charlie's appointment at West Hartford is a 404 for Boston's staff.
"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from dendrite.conftest import signed_in
from dendrite.scheduling.models import Kind, Series, Status

from .conftest import local, make_appointment, type_at

pytestmark = pytest.mark.django_db


def url(name: str, appointment) -> str:
    return reverse(f"scheduling:{name}", args=[appointment.pk])


@pytest.fixture
def booked(alice, nurse, boston, monday):
    return make_appointment(alice, Kind.INFUSION, local(boston, monday, 9), nurse)


def test_the_page_shows_who_when_where_and_the_status(front_desk, booked, monday):
    page = signed_in(front_desk).get(url("appointment", booked)).content.decode()
    assert "Alice Lovelace" in page and "9:00 AM to 10:40 AM" in page
    assert "Chair 1" in page and "Nora Tester" in page and "Booked since" in page
    assert reverse("scheduling:day", args=[booked.location_id, monday.isoformat()]) in page


def test_checking_in_from_the_day_view_returns_to_the_day(front_desk, booked, monday):
    data = {"status": "checked_in", "version": booked.version}
    with time_machine.travel(booked.starts_at):
        response = signed_in(front_desk).post(url("change_status", booked), data)
    assert response.url == reverse("scheduling:day", args=[booked.location_id, monday.isoformat()])
    booked.refresh_from_db()
    assert (booked.status, booked.version) == (Status.CHECKED_IN, 2)


def test_a_button_on_the_appointment_page_returns_to_the_page(front_desk, booked):
    data = {"status": "confirmed", "version": booked.version, "back": "appointment"}
    client = signed_in(front_desk)
    response = client.post(url("change_status", booked), data)
    assert response.url == url("appointment", booked)
    assert "The appointment is now “Confirmed”." in client.get(response.url).content.decode()


def test_a_stale_version_changes_nothing_and_says_why(front_desk, booked):
    client = signed_in(front_desk)
    client.post(url("change_status", booked), {"status": "confirmed", "version": 1})
    response = client.post(url("change_status", booked), {"status": "checked_in", "version": 1})
    booked.refresh_from_db()
    assert booked.status == Status.CONFIRMED
    page = client.get(response.url).content.decode()
    assert "A colleague changed this appointment while you were looking at it" in page


def test_a_step_out_of_order_is_refused(front_desk, booked):
    client = signed_in(front_desk)
    response = client.post(url("change_status", booked), {"status": "done", "version": 1})
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED
    assert "cannot be marked done" in client.get(response.url).content.decode()


def test_a_status_that_is_not_understood_changes_nothing(front_desk, booked):
    client = signed_in(front_desk)
    response = client.post(url("change_status", booked), {"status": "cancelled", "version": "x"})
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED
    assert "That change was not understood" in client.get(response.url).content.decode()


def test_cancelling_keeps_the_reason(front_desk, booked):
    data = {"reason": "Moving house", "version": booked.version}
    response = signed_in(front_desk).post(url("cancel", booked), data)
    booked.refresh_from_db()
    assert (booked.status, booked.cancel_reason, booked.late_cancel) == (
        Status.CANCELLED, "Moving house", False,
    )  # fmt: skip
    assert response.status_code == 302


def test_cancelling_without_a_reason_asks_for_one_and_changes_nothing(front_desk, booked):
    response = signed_in(front_desk).post(url("cancel", booked), {"reason": "", "version": 1})
    assert response.status_code == 400
    assert response.context["cancel_form"].errors["reason"] == [
        "Please say why the appointment is cancelled."
    ]
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED


def test_a_missed_infusion_of_a_series_offers_a_rebooking(front_desk, nurse, alice, boston):
    protocol = type_at(boston, Kind.INFUSION).protocols.get()
    series = Series.objects.create(
        patient=alice, location=boston, protocol=protocol, name="Induction", infusions=6,
        min_gap_hours=48, span_days=21, booked_by=nurse,
    )  # fmt: skip
    starts = local(boston, dt.date(2026, 3, 2), 9)
    missed = make_appointment(
        alice, Kind.INFUSION, starts, nurse, series=series, series_number=1,
        status=Status.NO_SHOW,
    )  # fmt: skip
    page = signed_in(front_desk).get(url("appointment", missed)).content.decode()
    assert url("rebook", missed) in page
    assert "Infusion 1 of 6" in page or "infusion 1 of 6" in page


def test_anonymous_people_are_sent_to_sign_in(client, booked):
    assert "/login" in client.get(url("appointment", booked)).url
    assert "/login" in client.post(url("cancel", booked), {"reason": "x", "version": 1}).url


def test_the_clinic_admin_opens_and_changes_appointments_without_the_chart(clinic_admin, booked):
    client = signed_in(clinic_admin)
    page = client.get(url("appointment", booked))
    assert page.status_code == 200
    assert reverse("patients:chart", args=[booked.patient_id]) not in page.content.decode()
    data = {"status": "confirmed", "version": 1}
    assert client.post(url("change_status", booked), data).status_code == 302
    booked.refresh_from_db()
    assert booked.status == Status.CONFIRMED


def test_another_locations_appointment_is_not_found(
    front_desk, prescriber_hartford, charlie, hartford, monday
):
    theirs = make_appointment(
        charlie, Kind.CONSULTATION, local(hartford, monday, 9), prescriber_hartford
    )
    client = signed_in(front_desk)
    assert client.get(url("appointment", theirs)).status_code == 404
    data = {"reason": "Nope", "version": 1}
    assert client.post(url("cancel", theirs), data).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.BOOKED


def test_the_page_shows_the_appointments_history_from_the_audit_trail(
    alice, prescriber, front_desk, consultation, boston, monday
):
    from dendrite.scheduling import actions

    booked = actions.book(alice, consultation, starts_at=local(boston, monday, 10), by=front_desk)
    actions.confirm_by_patient(booked)
    with time_machine.travel(booked.starts_at):
        actions.change_status(booked, Status.CHECKED_IN, by=front_desk)
    history = signed_in(front_desk).get(url("appointment", booked)).context["history"]
    assert [(who, what) for _, who, what in history] == [
        ("Fran Tester (Front desk)", "Booked"),
        ("the patient's own link", "Confirmed by the patient"),
        ("Fran Tester (Front desk)", "Marked “Checked in”"),
    ]
