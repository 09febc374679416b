"""The day view: Boston's chair and staff, quarter hour by quarter hour, in local time.

front desk, nurses and prescribers at Boston see Boston's days; the clinic admin sees no
schedule (403); nobody sees West Hartford's days unless they work there (404).
"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from dendrite.accounts.models import Role
from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Chair, OpeningHours
from dendrite.conftest import make_patient, make_user, query_count, signed_in
from dendrite.scheduling.models import Kind, Series, Status

from .conftest import local, make_appointment, type_at

pytestmark = pytest.mark.django_db


def day_url(location, day: dt.date) -> str:
    return reverse("scheduling:day", args=[location.pk, day.isoformat()])


def test_it_shows_each_chair_with_its_infusions_and_the_visits_without_a_chair(
    front_desk, nurse, prescriber, alice, bob, boston, monday
):
    make_appointment(alice, Kind.INFUSION, local(boston, monday, 9), nurse)
    make_appointment(bob, Kind.CONSULTATION, local(boston, monday, 11), prescriber)
    response = signed_in(front_desk).get(day_url(boston, monday))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<th scope="col">Chair 1</th>' in page
    assert "Alice Lovelace" in page and "Bob Hopper" in page
    schedule = response.context["schedule"]
    [nine] = [row for row in schedule.rows if row.time.hour == 9 and row.time.minute == 0]
    # 40 minutes of infusion and 60 of recovery: seven quarter-hour rows (09:00–10:40).
    assert nine.cells[0].appointment.patient == alice and nine.cells[0].rows == 7
    assert [(str(staff), [a.patient for a in visits]) for staff, visits in schedule.by_staff] == [
        ("Priya Tester", [bob])
    ]
    assert "9:00 AM–10:40 AM" in page and "11:00 AM–12:00 PM" in page


def test_the_rows_run_across_the_opening_hours_in_quarter_hours(front_desk, boston, monday):
    rows = signed_in(front_desk).get(day_url(boston, monday)).context["schedule"].rows
    assert (rows[0].time.time(), rows[-1].time.time(), len(rows)) == (
        dt.time(8),
        dt.time(17, 45),
        40,
    )


def test_an_infusion_shows_its_place_in_the_series(front_desk, nurse, alice, boston, monday):
    infusion = type_at(boston, Kind.INFUSION)
    series = Series.objects.create(
        patient=alice, location=boston, protocol=infusion.protocols.get(), name="Induction",
        infusions=6, min_gap_hours=48, span_days=21, booked_by=nurse,
    )  # fmt: skip
    make_appointment(
        alice, Kind.INFUSION, local(boston, monday, 9), nurse, series=series, series_number=2
    )
    page = signed_in(front_desk).get(day_url(boston, monday)).content.decode()
    assert "Infusion, 2 of 6" in page


def test_each_appointment_offers_its_next_steps_with_its_version(
    front_desk, nurse, alice, boston, monday
):
    appointment = make_appointment(alice, Kind.INFUSION, local(boston, monday, 9), nurse)
    with time_machine.travel(appointment.starts_at - dt.timedelta(minutes=30)):
        page = signed_in(front_desk).get(day_url(boston, monday)).content.decode()
    action = reverse("scheduling:change_status", args=[appointment.pk])
    assert f'action="{action}"' in page
    assert 'name="status" value="checked_in"' in page and 'name="status" value="confirmed"' in page
    assert f'name="version" value="{appointment.version}"' in page
    assert 'value="no_show"' not in page  # not before the time has come
    assert reverse("scheduling:cancel", args=[appointment.pk]) in page
    assert 'name="reason"' in page


def test_a_past_booked_appointment_may_be_marked_a_no_show(
    front_desk, nurse, alice, boston, time_machine
):
    time_machine.move_to(dt.datetime(2026, 3, 2, 17, tzinfo=dt.UTC), tick=False)  # noon local
    make_appointment(alice, Kind.INFUSION, local(boston, dt.date(2026, 3, 2), 9), nurse)
    page = signed_in(front_desk).get(day_url(boston, dt.date(2026, 3, 2))).content.decode()
    assert 'name="status" value="no_show"' in page


def test_cancelled_and_no_shows_are_listed_apart_and_leave_the_chair_free(
    front_desk, nurse, alice, bob, boston, monday
):
    make_appointment(
        alice, Kind.INFUSION, local(boston, monday, 9), nurse, status=Status.CANCELLED,
        cancel_reason="Unwell", late_cancel=True,
    )  # fmt: skip
    make_appointment(bob, Kind.INFUSION, local(boston, monday, 9), nurse)
    response = signed_in(front_desk).get(day_url(boston, monday))
    schedule = response.context["schedule"]
    assert [a.patient for a in schedule.released] == [alice]
    assert [a.patient for a in schedule.timeline] == [bob]
    assert "Cancelled (late)" in response.content.decode()


def test_a_closed_day_says_so(front_desk, boston, monday):
    sunday = monday - dt.timedelta(days=1)
    response = signed_in(front_desk).get(day_url(boston, sunday))
    assert "Boston is closed on this day." in response.content.decode()
    assert response.context["schedule"].rows == []


def test_it_links_the_previous_and_next_days(front_desk, boston, monday):
    page = signed_in(front_desk).get(day_url(boston, monday)).content.decode()
    assert day_url(boston, monday - dt.timedelta(days=1)) in page
    assert day_url(boston, monday + dt.timedelta(days=1)) in page


def test_the_picker_goes_to_the_chosen_day_without_javascript(front_desk, boston):
    response = signed_in(front_desk).get(
        reverse("scheduling:today"), {"location": boston.pk, "day": "2026-03-09"}
    )
    assert response.status_code == 302 and response.url == day_url(boston, dt.date(2026, 3, 9))


def test_the_picker_explains_a_date_it_cannot_read(front_desk, boston, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 17, tzinfo=dt.UTC), tick=False)
    client = signed_in(front_desk)
    response = client.get(reverse("scheduling:today"), {"location": boston.pk, "day": "soon"})
    assert response.url == day_url(boston, dt.date(2026, 3, 2))
    page = client.get(response.url).content.decode()
    assert "Please enter a date, such as 2026-03-09. Here is today." in page


def test_schedule_opens_today_in_local_time(front_desk, boston, time_machine):
    # 02:00 UTC on March 3 is still March 2 in Boston.
    time_machine.move_to(dt.datetime(2026, 3, 3, 2, tzinfo=dt.UTC), tick=False)
    response = signed_in(front_desk).get(reverse("scheduling:today"))
    assert response.url == day_url(boston, dt.date(2026, 3, 2))


def test_a_date_that_does_not_exist_is_not_found(front_desk, boston):
    url = reverse("scheduling:day", args=[boston.pk, "2026-02-30"])
    assert signed_in(front_desk).get(url).status_code == 404


def test_what_the_day_shows_is_audited(front_desk, nurse, prescriber, alice, bob, boston, monday):
    shown = [
        make_appointment(alice, Kind.INFUSION, local(boston, monday, 9), nurse),
        make_appointment(bob, Kind.FOLLOW_UP, local(boston, monday, 9), prescriber),
    ]
    signed_in(front_desk).get(day_url(boston, monday))
    event = AuditEvent.objects.filter(action="scheduling.appointment.list").get()
    assert event.detail == {"ids": [a.pk for a in shown], "screen": "day"}


@pytest.mark.parametrize(
    ("day", "utc_hour", "shown"),
    [
        (dt.date(2026, 3, 8), 13, "9:00 AM"),  # the spring-forward day: EDT, UTC−4
        (dt.date(2026, 11, 1), 14, "9:00 AM"),  # the fall-back day: EST, UTC−5
    ],
)
def test_daylight_saving_days_show_local_times(
    front_desk, nurse, alice, boston, day, utc_hour, shown
):
    OpeningHours.objects.create(location=boston, weekday=6, opens=dt.time(8), closes=dt.time(12))
    starts = dt.datetime.combine(day, dt.time(utc_hour), tzinfo=dt.UTC)
    make_appointment(alice, Kind.INFUSION, starts, nurse)
    response = signed_in(front_desk).get(day_url(boston, day))
    page = response.content.decode()
    assert f"{shown}–10:40 AM" in page
    rows = response.context["schedule"].rows
    assert [row.time.strftime("%H:%M") for row in rows][:5] == [
        "08:00", "08:15", "08:30", "08:45", "09:00"
    ]  # fmt: skip
    assert rows[4].cells[0].appointment is not None


def test_the_spring_forward_night_has_no_rows_that_never_happen(
    front_desk, nurse, alice, bob, boston
):
    day = dt.date(2026, 3, 8)
    # 01:30 EST and 03:30 EDT: the clock skips from 02:00 to 03:00 in between.
    make_appointment(alice, Kind.INFUSION, dt.datetime(2026, 3, 8, 6, 30, tzinfo=dt.UTC), nurse)
    make_appointment(bob, Kind.FOLLOW_UP, dt.datetime(2026, 3, 8, 7, 30, tzinfo=dt.UTC), nurse)
    response = signed_in(front_desk).get(day_url(boston, day))
    times = [row.time.strftime("%H:%M") for row in response.context["schedule"].rows]
    assert times[:4] == ["01:30", "01:45", "03:00", "03:15"]
    page = response.content.decode()
    assert "1:30 AM–4:10 AM" in page and "3:30 AM–4:00 AM" in page


# The day view of a coming day, as the front desk opens it, on SQLite and PostgreSQL:
# the session and sign-in 3; the location with its day rules and that day's hours, the
# user's locations and the read's audit entry 3; the day's appointments with their
# patients, types, staff, chairs, series and infusions, the chairs 2; the next day's
# appointments 1 (none here, so which of their patients can be reached needs no query);
# the list's audit entry 1; the staff header (banners and menu counts) 1; the session
# saved 3. 21 before issue #17's work (the location's opening hours, closures and day
# rules were three queries of their own; the header was four).
DAY_VIEW_QUERIES = 14


def test_the_query_count_does_not_grow_with_the_appointments(
    front_desk, nurse, prescriber, boston, monday
):
    client = signed_in(front_desk)
    chairs = [boston.chairs.get()] + [
        Chair.objects.create(location=boston, name=f"Chair {n}") for n in (2, 3)
    ]
    nurses = [nurse] + [make_user(f"nurse{n}_tester", Role.NURSE, boston) for n in (2, 3)]
    patients = [make_patient(boston, f"Pat{n}", "Tester") for n in range(30)]
    eight = local(boston, monday, 8)
    # Each chair has its own nurse and five infusions back to back (100 minutes each);
    # the prescriber sees fifteen follow-ups of 30 minutes.
    visits = [
        (Kind.INFUSION, eight + dt.timedelta(minutes=15 * c + 105 * k), nurses[c], chairs[c])
        for c in range(3)
        for k in range(5)
    ] + [
        (Kind.FOLLOW_UP, eight + dt.timedelta(minutes=30 * k), prescriber, None) for k in range(15)
    ]
    kind, starts, staff, chair = visits[0]
    make_appointment(patients[0], kind, starts, staff, chair=chair)
    one = query_count(lambda: client.get(day_url(boston, monday)))
    assert one == DAY_VIEW_QUERIES
    for patient, (kind, starts, staff, chair) in zip(patients[1:], visits[1:], strict=True):
        make_appointment(patient, kind, starts, staff, chair=chair)
    response = client.get(day_url(boston, monday))
    assert len(response.context["schedule"].timeline) == 30
    assert query_count(lambda: client.get(day_url(boston, monday))) == one


def test_anonymous_people_are_sent_to_sign_in(client, boston, monday):
    response = client.get(day_url(boston, monday))
    assert response.status_code == 302 and "/login" in response.url


def test_the_clinic_admin_sees_the_schedule_of_their_locations(
    clinic_admin, boston, hartford, monday
):
    assert signed_in(clinic_admin).get(day_url(boston, monday)).status_code == 200
    assert signed_in(clinic_admin).get(reverse("scheduling:today")).status_code == 302
    assert signed_in(clinic_admin).get(day_url(hartford, monday)).status_code == 404


def test_another_locations_day_is_not_found(front_desk, hartford, monday):
    assert signed_in(front_desk).get(day_url(hartford, monday)).status_code == 404


def test_the_nav_links_to_the_schedule(front_desk):
    page = signed_in(front_desk).get(reverse("accounts:home")).content.decode()
    assert f'href="{reverse("scheduling:today")}">Schedule</a>' in page
