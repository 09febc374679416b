"""Locations: hours in local time, closures, and who may open a location's page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from dendrite.clinics.models import Closure, Location, OpeningHours, validate_time_zone
from dendrite.conftest import make_location, query_count, signed_in

pytestmark = pytest.mark.django_db


def fresh(location: Location) -> Location:
    return Location.objects.with_hours().get(pk=location.pk)


def test_hours_on_a_weekday_and_none_at_the_weekend(boston):
    monday, saturday = dt.date(2026, 11, 30), dt.date(2026, 12, 5)
    assert [(h.opens, h.closes) for h in fresh(boston).hours_on(monday)] == [
        (dt.time(8), dt.time(18))
    ]
    assert fresh(boston).hours_on(saturday) == []


def test_a_closure_closes_the_whole_day(boston):
    christmas = dt.date(2026, 12, 25)
    Closure.objects.create(location=boston, start_date=christmas, end_date=christmas, reason="Xmas")
    location = fresh(boston)
    assert location.hours_on(christmas) == []
    assert location.closure_on(christmas).reason == "Xmas"
    assert location.closure_on(christmas + dt.timedelta(days=1)) is None


def test_open_now_uses_the_locations_own_time_zone_across_daylight_saving(boston):
    location = fresh(boston)
    # 12:30 UTC is 08:30 in Boston in summer (EDT) but 07:30 in winter (EST).
    assert location.is_open_at(dt.datetime(2026, 7, 6, 12, 30, tzinfo=dt.UTC))
    assert not location.is_open_at(dt.datetime(2026, 11, 30, 12, 30, tzinfo=dt.UTC))
    # The Monday after the autumn change (2 Nov 2026), 13:30 UTC is 08:30 EST.
    assert location.is_open_at(dt.datetime(2026, 11, 2, 13, 30, tzinfo=dt.UTC))


def test_a_made_up_time_zone_is_refused():
    with pytest.raises(ValidationError):
        validate_time_zone("America/Springfield")
    validate_time_zone("America/New_York")


def test_the_database_refuses_hours_that_close_before_they_open(boston):
    with pytest.raises(IntegrityError):
        OpeningHours.objects.create(
            location=boston, weekday=5, opens=dt.time(17), closes=dt.time(9)
        )


def test_the_database_refuses_a_closure_that_ends_before_it_starts(boston):
    with pytest.raises(IntegrityError):
        Closure.objects.create(
            location=boston,
            start_date=dt.date(2026, 12, 2),
            end_date=dt.date(2026, 12, 1),
            reason="x",
        )


def test_staff_see_their_own_location_page(nurse, boston):
    response = signed_in(nurse).get(reverse("accounts:location_detail", args=[boston.pk]))
    assert response.status_code == 200
    assert b"Chair 1" in response.content


def test_the_other_locations_page_is_a_404(nurse, hartford):
    response = signed_in(nurse).get(reverse("accounts:location_detail", args=[hartford.pk]))
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, boston):
    response = client.get(reverse("accounts:location_detail", args=[boston.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_staff_home_keeps_a_constant_query_count_as_locations_grow(nurse, boston):
    staff = signed_in(nurse)
    staff.get(reverse("accounts:home"))
    few = query_count(lambda: staff.get(reverse("accounts:home")))
    for number in range(10):
        location = make_location(f"extra-{number}", f"Extra {number}", "Boston", "MA")
        nurse.locations.add(location)
    assert query_count(lambda: staff.get(reverse("accounts:home"))) == few
