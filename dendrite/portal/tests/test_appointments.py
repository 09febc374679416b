"""The patient's appointments: list, preparation, confirm, cancel with the late-cancel
rule shown first, a change request as a front-desk task, the .ics file, "3 of 6"."""

import datetime as dt

from django.utils import timezone

from dendrite.scheduling.models import Series, SeriesProtocol, Status
from dendrite.worklist.models import StaffTask

from .conftest import portal_client, soon, visit


def test_upcoming_and_past_with_preparation(alice_in, nurse):
    coming = visit(alice_in, nurse, soon(5))
    coming.appointment_type.preparation = "Eat lightly before you come."
    coming.appointment_type.save()
    visit(alice_in, nurse, soon(-5), status=Status.DONE)
    client = portal_client(alice_in)
    page = client.get("/portal/appointments/")
    assert page.content.count(b"/portal/appointments/") >= 1
    assert b"Done" in page.content
    detail = client.get(f"/portal/appointments/{coming.pk}/")
    assert b"Eat lightly before you come." in detail.content
    assert b"Confirm I will come" in detail.content


def test_confirm(alice_in, nurse):
    appointment = visit(alice_in, nurse, soon(5))
    client = portal_client(alice_in)
    response = client.post(f"/portal/appointments/{appointment.pk}/confirm/", follow=True)
    assert b"your appointment is confirmed" in response.content
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    # Twice is fine.
    assert client.post(f"/portal/appointments/{appointment.pk}/confirm/").status_code == 302


def test_a_past_appointment_cannot_be_confirmed_or_cancelled(alice_in, nurse):
    appointment = visit(alice_in, nurse, soon(-2))
    client = portal_client(alice_in)
    response = client.post(f"/portal/appointments/{appointment.pk}/confirm/", follow=True)
    assert b"can no longer be confirmed online" in response.content
    page = client.post(f"/portal/appointments/{appointment.pk}/cancel/", {"reason": "Ill"})
    assert b"can no longer be cancelled online" in page.content
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_cancel_shows_the_rule_and_needs_a_reason(alice_in, nurse):
    appointment = visit(alice_in, nurse, soon(5))
    client = portal_client(alice_in)
    page = client.get(f"/portal/appointments/{appointment.pk}/cancel/")
    assert b"less than 24 hours before a visit counts as a late cancellation" in page.content
    assert b"in good time" in page.content
    empty = client.post(f"/portal/appointments/{appointment.pk}/cancel/", {"reason": " "})
    assert empty.status_code == 400
    assert b"why you cannot come" in empty.content
    long = client.post(f"/portal/appointments/{appointment.pk}/cancel/", {"reason": "x" * 201})
    assert long.status_code == 400 and b"x" * 201 in long.content
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED
    done = client.post(f"/portal/appointments/{appointment.pk}/cancel/", {"reason": "Ill"})
    assert done.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED and not appointment.late_cancel
    assert appointment.cancel_reason == "Ill"


def test_a_late_cancel_is_said_before_and_recorded(alice_in, nurse):
    appointment = visit(alice_in, nurse, timezone.now() + dt.timedelta(hours=5))
    client = portal_client(alice_in)
    page = client.get(f"/portal/appointments/{appointment.pk}/cancel/")
    assert b"counts as a late cancellation" in page.content
    assert b"in good time" not in page.content
    client.post(f"/portal/appointments/{appointment.pk}/cancel/", {"reason": "Car broke"})
    appointment.refresh_from_db()
    assert appointment.late_cancel


def test_a_change_request_is_a_front_desk_task(alice_in, nurse):
    appointment = visit(alice_in, nurse, soon(5))
    client = portal_client(alice_in)
    assert (
        client.post(f"/portal/appointments/{appointment.pk}/change/", {"note": ""}).status_code
        == 400
    )
    assert not StaffTask.objects.exists()
    response = client.post(f"/portal/appointments/{appointment.pk}/change/",
                           {"note": "Any morning next week"})  # fmt: skip
    assert response.status_code == 302
    task = StaffTask.objects.get()
    assert task.role == "front_desk" or task.role == "front-desk"
    assert task.patient_id == alice_in.pk
    assert "Any morning next week" in task.detail
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_the_ics_download(alice_in, nurse):
    appointment = visit(alice_in, nurse, soon(5))
    response = portal_client(alice_in).get(f"/portal/appointments/{appointment.pk}/calendar.ics")
    assert response["Content-Type"] == "text/calendar"
    assert b"BEGIN:VEVENT" in response.content
    assert f"appointment-{appointment.pk}@dendrite".encode() in response.content
    assert b"Lovelace" not in response.content


def test_series_progress(alice_in, nurse):
    protocol = SeriesProtocol.objects.filter(location=alice_in.location).first()
    series = Series.objects.create(
        patient=alice_in, location=alice_in.location, protocol=protocol, name="Series",
        infusions=6, min_gap_hours=protocol.min_gap_hours, span_days=protocol.span_days,
        booked_by=nurse,
    )  # fmt: skip
    appointment = visit(alice_in, nurse, soon(5), kind="infusion", series=series, series_number=3)
    page = portal_client(alice_in).get(f"/portal/appointments/{appointment.pk}/")
    assert b"3 of 6" in page.content
