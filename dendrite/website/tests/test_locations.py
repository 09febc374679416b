"""The locations page: every active clinic with its address, phone and opening hours,
in the clinic's own local time, and the closures coming up."""

import datetime as dt

import pytest
from django.urls import reverse

from dendrite.clinics.models import Closure, OpeningHours
from dendrite.conftest import make_location

from .helpers import Page

pytestmark = pytest.mark.django_db

URL = reverse("website:locations")


def test_both_clinics_are_shown_with_address_phone_and_hours(client, inboxes):
    html = client.get(URL).content.decode()
    assert Page(html).headings[1:3] == [(2, "Boston"), (2, "West Hartford")]
    assert html.count("Opening hours (America/New_York time)") == 2
    assert html.count("8:00 AM–6:00 PM") == 10  # Monday to Friday at both
    assert html.count('<th scope="row">Saturday</th><td>Closed</td>') == 2
    assert 'href="tel:+16175550100"' in html
    assert "1 Test Street" in html


def test_hours_are_shown_in_each_clinics_own_time_zone_not_the_servers(client, db):
    # 09:00–17:00 in Los Angeles stays 9:00 AM–5:00 PM: never converted to Eastern time.
    west = make_location("west", "Pasadena", "Pasadena", "CA", time_zone="America/Los_Angeles")
    west.opening_hours.all().delete()
    OpeningHours.objects.create(location=west, weekday=0, opens=dt.time(9), closes=dt.time(17))
    html = client.get(URL).content.decode()
    assert "Opening hours (America/Los_Angeles time)" in html
    assert '<th scope="row">Monday</th><td>9:00 AM–5:00 PM</td>' in html


def test_the_coming_closures_are_listed_by_the_clinics_calendar(client, inboxes, frozen):
    boston = inboxes["boston"]
    today = dt.date(2026, 3, 2)  # MONDAY_MORNING, Eastern time
    Closure.objects.create(location=boston, start_date=today, end_date=today, reason="Training")
    Closure.objects.create(
        location=boston,
        start_date=dt.date(2026, 3, 20),
        end_date=dt.date(2026, 3, 21),
        reason="Move",
    )
    Closure.objects.create(
        location=boston, start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 1, 1), reason="Past"
    )
    Closure.objects.create(
        location=boston,
        start_date=dt.date(2026, 12, 25),
        end_date=dt.date(2026, 12, 25),
        reason="Far",
    )
    html = client.get(URL).content.decode()
    assert "Mon, Mar 2, 2026 (Training)" in html
    assert "Fri, Mar 20, 2026 – Sat, Mar 21, 2026 (Move)" in html
    assert "(Past)" not in html and "(Far)" not in html


def test_an_inactive_clinic_is_not_shown(client, inboxes):
    inboxes["hartford"].is_active = False
    inboxes["hartford"].save()
    assert "West Hartford" not in client.get(URL).content.decode()


def test_the_weekdays_and_hours_read_in_spanish(spanish, inboxes):
    html = spanish.get(URL).content.decode()
    assert "Horario de atención (hora de America/New_York)" in html
    assert "Cerrado" in html
    assert "lunes" in html.lower()


def test_the_page_keeps_a_constant_query_count_as_clinics_grow(
    client, inboxes, django_assert_max_num_queries
):
    for number in range(10):
        make_location(f"extra-{number}", f"Extra {number}", "Boston", "MA")
    with django_assert_max_num_queries(5):
        assert client.get(URL).status_code == 200
