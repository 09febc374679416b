"""The demo data: both locations, one user per role per location, loaded idempotently."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dendrite.accounts.models import Role, User
from dendrite.alerts.actions import on_call
from dendrite.alerts.models import OnCallShift
from dendrite.clinics.models import Chair, Closure, Location
from dendrite.demo.staff import DEMO_PASSWORD, demo_key
from dendrite.patients.models import Patient
from dendrite.scheduling.models import Appointment, AppointmentType, Kind

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    models = (Location, Chair, Closure, User, TOTPDevice, Patient, Appointment, OnCallShift)
    return tuple(model.objects.count() for model in models)


def test_loading_twice_gives_the_same_data(capsys):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert set(Location.objects.values_list("city", "state")) == {
        ("Boston", "MA"),
        ("West Hartford", "CT"),
    }
    assert User.objects.count() == 9  # one per role per location, and the owner
    for location in Location.objects.all():
        roles = set(User.objects.filter(locations=location).values_list("role", flat=True))
        assert roles == set(Role.values)
    for location in Location.objects.all():
        # Something to look at: a series under way, consultations, a finished infusion.
        assert AppointmentType.objects.filter(location=location).count() == 4
        booked = Appointment.objects.filter(location=location)
        assert booked.filter(series__isnull=False).count() == 6
        alone = booked.filter(series__isnull=True)
        assert alone.filter(appointment_type__kind=Kind.CONSULTATION).count() == 2
        assert alone.filter(appointment_type__kind=Kind.INFUSION, infusion__isnull=False).exists()
        # Someone on call right now, reachable by e-mail and text.
        [shift] = on_call(location, timezone.now())
        assert shift.clinician.email and shift.clinician.mobile_phone
    out = capsys.readouterr().out
    assert "nurse.boston" in out and DEMO_PASSWORD in out


def test_the_printed_secret_gives_working_codes():
    call_command("load_demo", "--quiet")
    user = User.objects.get(username="prescriber.hartford")
    device = TOTPDevice.objects.get(user=user)
    assert user.check_password(DEMO_PASSWORD)
    assert device.verify_token(f"{totp(demo_key(user.username)):06d}")


def test_demo_accounts_are_refused_outside_debug_mode(settings):
    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError, match="DENDRITE_DEBUG=1"):
        call_command("load_demo")
