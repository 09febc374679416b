"""Fixtures of the project-wide tests (the shared cast is in dendrite/conftest.py):
messages caught, a clinician on call, and a clock stopped on a Monday morning."""

import datetime as dt

import pytest
import time_machine

from dendrite.accounts.models import Role
from dendrite.alerts.models import OnCallShift
from dendrite.conftest import make_user

# Monday 30 November 2026, 10:00 in Boston: open, and the on-call rota below covers it.
MONDAY_10AM = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC)
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def outboxes(settings, tmp_path):
    settings.MAILERS = LOCMEM
    settings.SMS_BACKEND = "dendrite.sms.FileBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms"
    return tmp_path / "sms"


@pytest.fixture
def on_call(boston):
    """Olivia, a Boston prescriber with a mobile number, on call around the clock."""
    user = make_user("olivia_oncall", Role.PRESCRIBER, boston)
    user.mobile_phone = "+16175550100"
    user.save()
    OnCallShift.objects.create(
        location=boston, clinician=user, starts_at=MONDAY_10AM - dt.timedelta(days=30),
        ends_at=MONDAY_10AM + dt.timedelta(days=60),
    )  # fmt: skip
    return user


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY_10AM, tick=False) as traveller:
        yield traveller
