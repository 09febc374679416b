"""The chart's recovery section: the 30 days at a glance, weekly and monthly figures,
lapse and relapse status, the plans; for nurses and prescribers; constant queries."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dendrite.conftest import signed_in

from .conftest import TODAY, put_days


def chart(user, patient) -> str:
    return signed_in(user).get(reverse("patients:chart", args=[patient.pk])).content.decode()


def test_the_section_shows_the_month_and_the_return_of_heavy_drinking(alice, nurse, frozen) -> None:
    put_days(alice, TODAY - dt.timedelta(days=2), [4, 4, 4])  # Alice: 4 is heavy
    body = chart(nurse, alice)
    assert 'id="recovery"' in body
    assert "Heavy drinking has returned since Mon, Nov 30, 2026" in body
    assert "renew" in body
    for word in ("failed", "failure", "relapsed patient"):
        assert word not in body.lower()
    assert "<svg" in body
    assert "4.0 (heavy)" in body
    assert "Week by week" in body
    assert "Month by month" in body


def test_front_desk_sees_no_drinking_record(alice, front_desk, frozen) -> None:
    put_days(alice, TODAY - dt.timedelta(days=2), [4, 4, 4])
    body = chart(front_desk, alice)
    assert 'href="#recovery"' not in body  # not even in the chart's contents
    assert "Heavy drinking" not in body
    assert "<svg" not in body


def test_the_query_count_does_not_grow_with_the_days(alice, nurse, frozen) -> None:
    client = signed_in(nurse)
    url = reverse("patients:chart", args=[alice.pk])
    put_days(alice, TODAY - dt.timedelta(days=9), [1] * 10)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    put_days(alice, TODAY - dt.timedelta(days=400), [2, 0, 6] * 130)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert len(many) == len(few)
    assert "Week by week" in body
