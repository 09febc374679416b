"""The log page says when the last complete inventory was taken and when the next is due
(every two years, 21 CFR 1304.11), with a warning from 30 days before."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from dendrite.conftest import signed_in
from dendrite.controlled import actions
from dendrite.controlled.models import Count

pytestmark = pytest.mark.django_db

TAKEN = dt.datetime(2026, 2, 4, 14, 0, tzinfo=dt.UTC)  # 9 AM in Boston


def page(user, location):
    return signed_in(user).get(reverse("controlled:log", args=[location.pk])).content.decode()


def test_the_next_inventory_is_shown_and_warned_of_30_days_before(hartford, prescriber_hartford):
    assert "No initial inventory has been taken" in page(prescriber_hartford, hartford)
    with time_machine.travel(TAKEN, tick=False):
        actions.record_count(
            location=hartford, kind=Count.Kind.INITIAL, timing=Count.Timing.OPENING,
            counted={}, explanation="", by=prescriber_hartford,
        )  # fmt: skip
    with time_machine.travel(dt.datetime(2028, 1, 4, 17, tzinfo=dt.UTC), tick=False):
        text = page(prescriber_hartford, hartford)
        assert "taken on Wed, Feb 4, 2026" in text and "next one is due by Fri, Feb 4, 2028" in text
        assert "<strong>The next one is due by" not in text  # 31 days ahead: no warning yet
    with time_machine.travel(dt.datetime(2028, 1, 5, 17, tzinfo=dt.UTC), tick=False):
        assert "<strong>The next one is due by Fri, Feb 4, 2028.</strong>" in page(
            prescriber_hartford, hartford
        )
    with time_machine.travel(dt.datetime(2028, 2, 5, 17, tzinfo=dt.UTC), tick=False):
        assert "was due on Fri, Feb 4, 2028 and has not been taken" in page(
            prescriber_hartford, hartford
        )
