"""Fixtures of the public site's tests.

The inquiry tests need the clinic to have an inbox (the staff e-mail goes there),
a clock they control (the form's minimum fill time), an empty cache (the rate
limit) and, after each test, the default language back.
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import translation

from dendrite.clinics.models import Location

MONDAY_MORNING = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clean_slate():
    cache.clear()
    yield
    cache.clear()
    translation.deactivate()


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(MONDAY_MORNING, tick=False)
    return time_machine


@pytest.fixture
def inboxes(boston: Location, hartford: Location) -> dict[str, Location]:
    """Both clinics, each with the inbox address staff notifications go to."""
    for location in (boston, hartford):
        location.email = f"{location.slug}-inbox@example.test"
        location.save()
    return {"boston": boston, "hartford": hartford}


@pytest.fixture
def spanish(client):
    """A visitor who chose Spanish (the cookie the language switch sets)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client
